// What every browser test page needs from the wire specification, written from it (protocol §3.1, §3.4, §3.5,
// §3.8, §7.4): byte helpers, a circle's keys with the message envelope and the signed-request headers, and signed
// presence at the relay. PageServer serves this file beside each test page as felund-spec.js.
'use strict';
const te = new TextEncoder();
const td = new TextDecoder();
const hex = buf => Array.from(new Uint8Array(buf), b => b.toString(16).padStart(2, '0')).join('');
const unhex = h => new Uint8Array(h.match(/../g).map(x => parseInt(x, 16)));
const b64 = buf => btoa(String.fromCharCode(...new Uint8Array(buf)));
const unb64 = s => Uint8Array.from(atob(s), c => c.charCodeAt(0));
const randomHex = n => hex(crypto.getRandomValues(new Uint8Array(n)));
const sha256hex = async data => hex(await crypto.subtle.digest('SHA-256', typeof data === 'string' ? te.encode(data) : data));
const hmacHex = async (rawKey, text) => {
  const key = await crypto.subtle.importKey('raw', rawKey, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return hex(await crypto.subtle.sign('HMAC', key, te.encode(text)));
};

/** One circle's keys (§3.1): circle id and hint, the message key (HKDF, §3.4), the API signing key (§3.8). */
async function circleOf(secretHex) {
  const secret = unhex(secretHex);
  const circleId = (await sha256hex(secret)).slice(0, 24);
  const hint = (await sha256hex(circleId)).slice(0, 16);
  const ikm = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveKey']);
  const msgKey = await crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: te.encode('felund-msg-v1') },
    ikm, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const apiKey = unhex(await hmacHex(secret, 'api-v1'));
  const aad = m => te.encode(`${m.msg_id}|${m.circle_id}|${m.channel_id}|${m.author_node_id}|${m.created_ts}`);
  return {
    circleId, hint, apiKey,
    async seal(m, displayName, text) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const pt = te.encode(JSON.stringify({ display_name: displayName, text }));
      const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad(m) }, msgKey, pt);
      return { alg: 'AES-256-GCM', key_id: 'epoch-0', nonce: b64(iv), ciphertext: b64(ct) };
    },
    async open(m) {
      const pt = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: unb64(m.enc.nonce), additionalData: aad(m) }, msgKey, unb64(m.enc.ciphertext));
      return JSON.parse(td.decode(pt));
    },
    /** The DataChannel AUTH proof (§3.9). */
    dcAuth: (mine, peer) => hmacHex(secret, `dc-auth:${mine}:${peer}`),
    /** The X-Felund-* headers of a signed request (§3.8). */
    async signed(method, path, nodeId, body) {
      const ts = Math.floor(Date.now() / 1000);
      const nonce = randomHex(16);
      const bodyHash = await sha256hex(body ? te.encode(body) : new Uint8Array(0));
      const signature = await hmacHex(apiKey, method + path + bodyHash + ts + nonce);
      return { 'X-Felund-Node': nodeId, 'X-Felund-Ts': String(ts), 'X-Felund-Nonce': nonce,
               'X-Felund-Signature': signature };
    },
  };
}

/** Signed presence (§7.4): this page as a browser node of the circle, listed for ttlSeconds. */
async function registerAt(relay, circle, nodeId, ttlSeconds) {
  const body = JSON.stringify({
    node_id: nodeId, circle_hint: circle.hint,
    endpoints: [{ transport: 'ws', host: location.hostname, port: Number(location.port) || 80, family: 'ipv4',
                  nat: 'unknown' }],
    capabilities: { relay: false, transport: ['ws'], can_anchor: false },
    ttl_s: ttlSeconds, signing_key: hex(circle.apiKey),
  });
  const headers = await circle.signed('POST', '/register', nodeId, body);
  const r = await fetch(`${relay}/v1/register`, { method: 'POST', body,
    headers: { ...headers, 'content-type': 'application/json' } });
  if (!r.ok) throw new Error('register failed: HTTP ' + r.status);
}
