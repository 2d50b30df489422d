/** e2e global setup: the web client is built once before Chromium tests run (placeholder until #4). */
export default function setup(): void {}
