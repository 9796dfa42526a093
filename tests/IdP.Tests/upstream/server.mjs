// The upstream issuer of the IdP's federated-login tests: a real OpenID provider (oidc-provider) on loopback.
//   ISSUER=http://127.0.0.1:PORT/ PORT=... node server.mjs
//
// No login form: the browser's `upstream_user` cookie names the account (its sub) that signs in. Tests add
// accounts with POST /test/accounts and register this IdP as a client through Dynamic Client Registration (/reg).
// An account may ask the provider to misbehave, so the IdP's checks are tested against real tokens:
//   deny: true         the authorization ends with error=access_denied
//   tamper: "nonce" | "aud" | "iss" | "expired" | "signature"
//                      the token endpoint returns an ID token changed that way, re-signed with the provider's own
//                      key (or, for "signature", with a key nobody published)
import crypto from 'node:crypto';
import http from 'node:http';
import Provider from 'oidc-provider';

const issuer = process.env.ISSUER;
const port = Number(process.env.PORT);
const accounts = new Map();
let lastAuthorization = null;

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const { privateKey: strangerKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingJwk = { ...privateKey.export({ format: 'jwk' }), kid: 'upstream-1', alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  jwks: { keys: [signingJwk] },
  pkce: { required: () => true, methods: ['S256'] },
  cookies: { keys: ['idp-tests-only'] },
  // Claims in the ID token itself, as Google sends them (the IdP reads no userinfo).
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: false },
    registration: { enabled: true },
  },
  claims: {
    openid: ['sub', 'hd'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username'],
  },
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

// Rewrites the token response of an account that asked for it; koa writes the whole JSON body with one end().
function tamperTokenResponse(res) {
  const end = res.end.bind(res);
  res.end = (chunk, ...rest) => {
    if (chunk && res.statusCode === 200) {
      const body = JSON.parse(chunk.toString());
      const sub = body.id_token && JSON.parse(Buffer.from(body.id_token.split('.')[1], 'base64url')).sub;
      const how = accounts.get(sub)?.tamper;
      if (how) {
        body.id_token = tampered(body.id_token, how);
        chunk = JSON.stringify(body);
        res.setHeader('content-length', Buffer.byteLength(chunk));
      }
    }
    return end(chunk, ...rest);
  };
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
    tamperTokenResponse(res);
  }
  callback(req, res);
});
server.listen(port, '127.0.0.1', () => console.log(`test upstream listening on ${port} as ${issuer}`));
