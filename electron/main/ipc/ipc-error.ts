/** An error whose code and message may cross IPC as-is; any other error becomes a generic INTERNAL. */
export class IpcError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'IpcError';
  }
}
