/**
 * Agenda titles run long ("Tờ trình về việc phê duyệt điều chỉnh quy hoạch …"); in a dropdown the whole
 * title widens the popup past a 1366 px screen. Options show the numbered start of the title; the
 * select's `title` attribute and the agenda list keep the full text.
 */
export const OPTION_MAX = 70;

export function optionLabel(label: string, max = OPTION_MAX): string {
  const chars = Array.from(label);
  return chars.length <= max ? label : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}
