import { PageTitle } from "../Shell";

export function NotFound() {
  return (
    <>
      <PageTitle title="Not found">Page not found</PageTitle>
      <p>There is no console page here. <a href="/console">Go to the overview</a>.</p>
    </>
  );
}
