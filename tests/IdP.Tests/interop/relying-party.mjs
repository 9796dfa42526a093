// An independent relying party: openid-client does discovery, the code flow with PKCE, userinfo, refresh and
// builds the logout URL; jose verifies the ID token's signature against the published JWKS.
// Protocol with the test: prints {"authorizationUrl"} on one line, reads the callback URL from stdin, then
// prints the results as one JSON line.
import * as client from 'openid-client';
import * as jose from 'jose';
import { createInterface } from 'node:readline';

const [issuer, clientId, clientSecret, redirectUri, postLogoutUri] = process.argv.slice(2);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

const config = await client.discovery(new URL(issuer), clientId, undefined,
  client.ClientSecretBasic(clientSecret), { execute: [client.allowInsecureRequests] });

const verifier = client.randomPKCECodeVerifier();
const state = client.randomState();
const nonce = client.randomNonce();
const authorizationUrl = client.buildAuthorizationUrl(config, {
  redirect_uri: redirectUri,
  scope: 'openid profile email groups offline_access',
  code_challenge: await client.calculatePKCECodeChallenge(verifier),
  code_challenge_method: 'S256',
  state,
  nonce,
});
console.log(JSON.stringify({ authorizationUrl: authorizationUrl.href }));

const callback = (await lines.next()).value;
const tokens = await client.authorizationCodeGrant(config, new URL(callback), {
  pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce,
});
const claims = tokens.claims();
const jwks = jose.createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri));
const verified = await jose.jwtVerify(tokens.id_token, jwks, {
  issuer, audience: clientId, algorithms: ['RS256'],
});
const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
const logoutUrl = client.buildEndSessionUrl(config, {
  id_token_hint: tokens.id_token, post_logout_redirect_uri: postLogoutUri, state: 'bye',
});

console.log(JSON.stringify({
  issuer: config.serverMetadata().issuer,
  claims,
  algorithm: verified.protectedHeader.alg,
  userinfo,
  refreshed: { hasAccessToken: Boolean(refreshed.access_token), sub: refreshed.claims()?.sub },
  logoutUrl: logoutUrl.href,
}));
process.exit(0);
