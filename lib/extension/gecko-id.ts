/**
 * The Firefox add-on id: a GUID, because Margins has no domain of its own for an email-style id.
 * It must never change once published: Firefox ties updates and the extension's storage (every
 * review and the profile's signing key) to it. See docs/release.md.
 */
export const GECKO_ID = '{32fc4258-ba9c-40be-b40f-9dc5c80bf97f}';
