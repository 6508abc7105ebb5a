import { render } from "preact";
import { App } from "./app";
import "./styles.css";

// Anything other than /connect (e.g. an old bookmark of "/") starts the flow without a code.
if (!location.pathname.startsWith("/connect")) history.replaceState(null, "", `/connect${location.search}`);
render(<App />, document.getElementById("app")!);
