// The upstream issuer of the IdP's federated-login tests: a real OpenID provider (oidc-provider) on loopback.
//   ISSUER=http://127.0.0.1:PORT/ PORT=... [CONFORM=1] node server.mjs
//
// No login form: the browser's `upstream_user` cookie names the account (its sub) that signs in. Tests add
// accounts with POST /test/accounts and register this IdP as a client through Dynamic Client Registration (/reg).
// An account may ask the provider to misbehave, so the IdP's checks are tested against real tokens:
//   deny: true         the authorization ends with error=access_denied
//   tamper: "nonce" | "aud" | "iss" | "expired" | "signature"
//                      the token endpoint returns an ID token changed that way, re-signed with the provider's own
//                      key (or, for "signature", with a key nobody published)
//   tamper: "userinfo-sub"   the userinfo response names another sub
// CONFORM=1 keeps profile claims (email, name, hd) out of ID tokens from the code flow, for userinfo only, as
// oidc-provider does by default and some issuers do.
import crypto from 'node:crypto';
import http from 'node:http';
import Provider from 'oidc-provider';

const issuer = process.env.ISSUER;
const port = Number(process.env.PORT);
const conform = process.env.CONFORM === '1';
const accounts = new Map();
let lastAuthorization = null;
let lastIdToken = null;

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const { privateKey: strangerKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingJwk = { ...privateKey.export({ format: 'jwk' }), kid: 'upstream-1', alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  jwks: { keys: [signingJwk] },
  pkce: { required: () => true, methods: ['S256'] },
  cookies: { keys: ['idp-tests-only'] },
  // Claims in the ID token itself, as Google sends them; CONFORM=1 leaves them to userinfo.
  conformIdTokenClaims: conform,
  features: {
    devInteractions: { enabled: false },
    registration: { enabled: true },
  },
  // hd under openid, as Google has it; CONFORM=1 moves it to profile, so that only userinfo has it.
  claims: conform
    ? { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username', 'hd'] }
    : { openid: ['sub', 'hd'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const account = accounts.get(id);
    if (!account) return undefined;
    return { accountId: id, async claims() { return { ...account.claims, sub: id }; } };
  },
});

function cookie(req, name) {
  const pair = (req.headers.cookie || '').split(';').map((c) => c.trim().split('='))
    .find(([key]) => key === name);
  return pair ? decodeURIComponent(pair[1]) : undefined;
}

async function interact(req, res) {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'login') {
    const accountId = cookie(req, 'upstream_user');
    const account = accounts.get(accountId);
    if (!account || account.deny) {
      await provider.interactionFinished(req, res,
        { error: 'access_denied', error_description: 'the test account refused' });
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId } });
    return;
  }
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

function base64url(value) {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function tampered(idToken, how) {
  const [h, p] = idToken.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url'));
  const payload = JSON.parse(Buffer.from(p, 'base64url'));
  const now = Math.floor(Date.now() / 1000);
  if (how === 'nonce') payload.nonce = 'not-the-nonce-that-was-sent';
  if (how === 'aud') payload.aud = 'another-client';
  if (how === 'iss') payload.iss = `${issuer}elsewhere`;
  if (how === 'expired') Object.assign(payload, { iat: now - 7200, exp: now - 3600 });
  const body = `${base64url(header)}.${base64url(payload)}`;
  const key = how === 'signature' ? strangerKey : privateKey;
  return `${body}.${crypto.sign('sha256', Buffer.from(body), key).toString('base64url')}`;
}

// Rewrites a JSON response of an account that asked for it; koa writes the whole body with one end().
function rewriteResponse(res, change) {
  const end = res.end.bind(res);
  res.end = (chunk, ...rest) => {
    if (chunk && res.statusCode === 200) {
      const body = JSON.parse(chunk.toString());
      if (change(body)) {
        chunk = JSON.stringify(body);
        res.setHeader('content-length', Buffer.byteLength(chunk));
      }
    }
    return end(chunk, ...rest);
  };
}

function tamperTokenResponse(body) {
  lastIdToken = body.id_token ? JSON.parse(Buffer.from(body.id_token.split('.')[1], 'base64url')) : null;
  const how = accounts.get(lastIdToken?.sub)?.tamper;
  if (!how || how.startsWith('userinfo')) return false;
  body.id_token = tampered(body.id_token, how);
  return true;
}

function tamperUserInfo(body) {
  if (accounts.get(body.sub)?.tamper !== 'userinfo-sub') return false;
  body.sub = `${body.sub}-someone-else`;
  return true;
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString() || '{}');
}

async function testApi(req, res) {
  if (req.method === 'POST' && req.url === '/test/accounts') {
    const { sub, claims = {}, deny = false, tamper = null } = await readJson(req);
    accounts.set(sub, { claims, deny, tamper });
    res.statusCode = 204;
    res.end();
    return;
  }
  if (req.method === 'GET' && req.url === '/test/last-authorization') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(lastAuthorization));
    return;
  }
  if (req.method === 'GET' && req.url === '/test/last-id-token') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(lastIdToken));
    return;
  }
  res.statusCode = 404;
  res.end();
}

const callback = provider.callback();
const server = http.createServer((req, res) => {
  const fail = (error) => {
    console.error(error);
    res.statusCode = 500;
    res.end(String(error));
  };
  if (req.url.startsWith('/test/')) {
    testApi(req, res).catch(fail);
    return;
  }
  if (req.url.startsWith('/interaction/')) {
    interact(req, res).catch(fail);
    return;
  }
  if (req.method === 'GET' && req.url.startsWith('/auth?')) {
    lastAuthorization = Object.fromEntries(new URL(req.url, issuer).searchParams);
  }
  if (req.method === 'POST' && req.url.startsWith('/token')) {
    rewriteResponse(res, tamperTokenResponse);
  }
  if (req.url.startsWith('/me')) {
    rewriteResponse(res, tamperUserInfo);
  }
  callback(req, res);
});
server.listen(port, '127.0.0.1', () => console.log(`test upstream listening on ${port} as ${issuer}`));
