/**
 * Text a server sent is data: before it reaches a terminal, a notification or the UI it loses every control
 * character (C0, DEL, C1: ESC sequences could recolour, retitle or rewrite a terminal, BEL rings it), and
 * line breaks and tabs become spaces so one message stays on one line.
 */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const LINE_BREAKS = /[\t\n\r]/g;
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
/** Direction overrides and marks: `report\u202Efdp.exe` would show as `reportexe.pdf`. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function plainText(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(CONTROL, '');
}

/** For file names: every control character goes (line breaks too), and bidi controls, so what is shown is what is saved. */
export function plainName(text: string): string {
  return text.replace(ANY_CONTROL, '').replace(BIDI, '');
}
