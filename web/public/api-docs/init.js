// Starts the vendored API reference viewer (see worker/src/http/api-docs.ts). A file, not an inline script, so
// the page's CSP can refuse every inline script.
(function () {
  var app = document.getElementById("app");
  window.Scalar.createApiReference(app, {
    url: app.getAttribute("data-openapi"),
    // Fonts, the AI agent and the developer toolbar use Scalar's servers; the page uses only this origin.
    withDefaultFonts: false,
    showDeveloperTools: "never",
    agent: { disabled: true },
    telemetry: false,
  });
})();
