import { render } from "preact";
import { App } from "./App";
import { interceptLinks } from "./router";
import "./console.css";

const root = document.getElementById("console")!;
interceptLinks(root);
render(<App />, root);
