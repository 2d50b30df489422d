/**
 * The renderer is served from `app://ecabinet/` (Checklist 18: custom protocol instead of file://).
 * A fixed host lets every guard compare origins exactly; any other host is refused.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'ecabinet';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/`;
