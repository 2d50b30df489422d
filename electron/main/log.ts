/** Main-process diagnostics go to stderr (the terminal, or the OS log when packaged). */
export function logWarn(message: string, detail?: unknown): void {
  const extra =
    detail instanceof Error
      ? `: ${detail.message}`
      : detail === undefined
        ? ''
        : `: ${JSON.stringify(detail)}`;
  process.stderr.write(`[e-cabinet] ${message}${extra}\n`);
}
