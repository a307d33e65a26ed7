/**
 * SHA-256 as bytes of our own. In a Firefox content script WebCrypto's results belong to the page's
 * compartment, and methods that build a new typed array from them (`subarray`, `slice`) throw
 * "Permission denied to access property constructor". Copying element by element into an array
 * made here works in every context.
 */
export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  const view = new Uint8Array(await crypto.subtle.digest('SHA-256', data as BufferSource));
  const own = new Uint8Array(view.length);
  for (let i = 0; i < view.length; i++) own[i] = view[i];
  return own;
}
