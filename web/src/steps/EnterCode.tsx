import { useState } from "preact/hooks";
import { strings } from "../strings";
import { checkCode } from "../lib/code";
import { Notice } from "../ui/Notice";

/** Typing the code by hand: checked as it is typed, forgiving of case and spaces. */
export function EnterCode({ onSubmit, invalidFromLink, initial = "", error }: {
  onSubmit: (code: string) => void;
  invalidFromLink?: boolean;
  initial?: string;
  error?: string;
}) {
  const s = strings.enter;
  const [value, setValue] = useState(initial);
  const [tried, setTried] = useState(false);
  const check = checkCode(value);

  let message: string | null = null;
  if (check.kind === "bad-chars") message = s.badChars(check.bad.join(", "));
  else if (check.kind === "too-long") message = s.tooLong;
  else if (tried && check.kind !== "complete") message = strings.problem.unknown;
  const invalid = message !== null;
  const count = check.kind === "empty" ? 0 : Math.min(check.code.length, 8);

  return (
    <section aria-labelledby="enter-title">
      <h1 id="enter-title" tabIndex={-1}>{s.title}</h1>
      {(invalidFromLink || error) && <Notice tone="error" role="alert">{error ?? strings.problem.malformed}</Notice>}
      <p>{s.intro}</p>
      <form
        novalidate
        onSubmit={(e) => {
          e.preventDefault();
          setTried(true);
          if (check.kind === "complete") onSubmit(check.code);
        }}
      >
        <label for="code">{s.label}</label>
        <p id="code-hint" class="hint">{s.hint}</p>
        <input
          id="code"
          name="code"
          class="code-input"
          type="text"
          inputMode="text"
          autoComplete="one-time-code"
          autoCapitalize="characters"
          autoCorrect="off"
          spellcheck={false}
          maxLength={16}
          value={value}
          aria-invalid={invalid}
          aria-describedby={`code-hint code-count${invalid ? " code-error" : ""}`}
          onInput={(e) => setValue(e.currentTarget.value)}
        />
        <p id="code-count" class="hint" aria-live="polite">{s.progress(count)}</p>
        {invalid && <p id="code-error" class="field-error">{message}</p>}
        <button type="submit" class="button" aria-disabled={check.kind !== "complete"}>{s.submit}</button>
      </form>
    </section>
  );
}
