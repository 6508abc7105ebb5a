/** Small choices remembered for this visit (never codes' secrets: there are none here). */
export type Provider = "google" | "samsung";

export function getProvider(): Provider {
  try {
    return sessionStorage.getItem("ow.provider") === "samsung" ? "samsung" : "google";
  } catch {
    return "google";
  }
}

export function setProvider(p: Provider) {
  try { sessionStorage.setItem("ow.provider", p); } catch { /* private mode: not remembered */ }
}
