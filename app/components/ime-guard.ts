// Japanese is typed through an IME: Enter confirms the converted text. A browser that reports that Enter as an
// ordinary key press (Safari sends keyCode 229 after compositionend; some IMEs do the same in Chrome) would submit the
// form half-typed. Stopping such an Enter in a single-line field prevents the implicit submission and leaves the
// composition itself alone (the IME has already consumed the key).
export const IME_KEY_CODE = 229;

export function isImeEnter(event: KeyboardEvent): boolean {
  return event.key === "Enter" && (event.isComposing || event.keyCode === IME_KEY_CODE);
}

export function installImeEnterGuard(target: Document): void {
  target.addEventListener(
    "keydown",
    (event) => {
      if (!isImeEnter(event)) return;
      if (event.target instanceof HTMLInputElement) event.preventDefault();
    },
    { capture: true },
  );
}
