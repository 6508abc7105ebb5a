import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { strings } from "../strings";
import type { Branding } from "../lib/api";

interface Props {
  branding: Branding | null;
  name: string | null;
  stepNumber: number | null;
  stepCount: number;
  /** Changes whenever a different step is shown; focus then moves to its heading for screen-reader users. */
  stepKey: string;
  /** Only after the person moved on: the first screen keeps the browser's own focus order (skip link first). */
  moveFocus: boolean;
  children: ComponentChildren;
}

export function Layout({ branding, name, stepNumber, stepCount, stepKey, moveFocus, children }: Props) {
  const main = useRef<HTMLElement>(null);
  useEffect(() => {
    if (moveFocus) main.current?.querySelector<HTMLElement>("h1")?.focus();
  }, [stepKey]);

  return (
    <>
      <a class="skip" href="#main">{strings.skipToContent}</a>
      <header class="top">
        {branding?.logo_url ? (
          <img class="logo" src={branding.logo_url} alt={strings.logoAlt(name ?? strings.theApp)} width={40} height={40} referrerpolicy="no-referrer" />
        ) : (
          <img class="logo" src="/icon.svg" alt="" width={40} height={40} />
        )}
        <span class="brand">{name ?? strings.appTitle}</span>
      </header>
      <main id="main" ref={main}>
        {stepNumber !== null && <p class="step-of">{strings.stepOf(stepNumber, stepCount)}</p>}
        {children}
      </main>
    </>
  );
}
