import { useEffect, useState } from "preact/hooks";
import { ApiError, SIGNED_OUT, get, type Me } from "./api";
import { usePath } from "./router";
import { Shell } from "./Shell";
import { SignIn } from "./pages/SignIn";
import { Join } from "./pages/Join";
import { Overview } from "./pages/Overview";
import { Users } from "./pages/Users";
import { User } from "./pages/User";
import { Team } from "./pages/Team";
import { NotFound } from "./pages/NotFound";
import { Apps } from "./pages/Apps";
import { Keys } from "./pages/Keys";
import { Webhooks } from "./pages/Webhooks";
import { Assistants } from "./pages/Assistants";

/** Who is signed in decides between the sign-in screen and the console; the path decides the page. */
export function App() {
  const path = usePath();
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const refresh = () => get<Me>("/me").then(setMe).catch((e) => (e instanceof ApiError && e.status === 401 ? setMe(null) : setMe(null)));
  useEffect(() => {
    refresh();
    const out = () => setMe(null);
    window.addEventListener(SIGNED_OUT, out);
    return () => window.removeEventListener(SIGNED_OUT, out);
  }, []);

  if (path === "/console/join") return <Join onSignedIn={refresh} />;
  if (me === undefined) return <p class="loading" role="status">Loading…</p>;
  if (me === null) return <SignIn onSignedIn={refresh} />;
  const user = path.match(/^\/console\/users\/([0-9a-f-]{36})\/?$/i);
  let page;
  if (path === "/console" || path === "/console/") page = <Overview />;
  else if (/^\/console\/users\/?$/.test(path)) page = <Users />;
  else if (user) page = <User id={user[1]!.toLowerCase()} />;
  else if (/^\/console\/team\/?$/.test(path)) page = <Team me={me} />;
  else if (/^\/console\/apps\/?$/.test(path)) page = <Apps />;
  else if (/^\/console\/keys\/?$/.test(path)) page = <Keys />;
  else if (/^\/console\/webhooks\/?$/.test(path)) page = <Webhooks />;
  else if (/^\/console\/assistants\/?$/.test(path)) page = <Assistants />;
  else page = <NotFound />;
  return <Shell me={me} path={path} onSignedOut={() => setMe(null)}>{page}</Shell>;
}
