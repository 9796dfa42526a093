// A real OpenID provider for the outpost tests. Signs in whoever the browser's `test_user` cookie
// names (with the `amr` values of `test_amr`), so each test picks its user without a login form.
//   ISSUER=http://idp.test:9000/ PORT=9000 CLIENTS='[{...}]' node server.mjs
import http from 'node:http';
import Provider from 'oidc-provider';

const accounts = {
  alice: { email: 'alice@example.test', name: 'Alice', groups: ['admins', 'staff'] },
  bob: { email: 'bob@example.test', name: 'Bob', groups: ['guests'] },
  carol: { email: 'carol@example.test', name: 'Carol', groups: ['staff'] },
};

const issuer = process.env.ISSUER;
const port = Number(process.env.PORT);
const clients = JSON.parse(process.env.CLIENTS);

const provider = new Provider(issuer, {
  clients,
  pkce: { required: () => true, methods: ['S256'] },
  cookies: { keys: ['outpost-tests-only'] },
  features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
  claims: {
    // amr in the openid scope, so that every ID token says how the user signed in.
    openid: ['sub', 'amr'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username'],
    groups: ['groups'],
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, preferred_username: id, email_verified: true, ...account };
      },
    };
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
    const accountId = cookie(req, 'test_user') || 'alice';
    const amr = (cookie(req, 'test_amr') || 'pwd').split('.');
    await provider.interactionFinished(req, res, { login: { accountId, amr } });
    return;
  }
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

const callback = provider.callback();
const server = http.createServer((req, res) => {
  if (req.url.startsWith('/interaction/')) {
    interact(req, res).catch((error) => {
      console.error(error);
      res.statusCode = 500;
      res.end(String(error));
    });
    return;
  }
  callback(req, res);
});
server.listen(port, '127.0.0.1', () => console.log(`test idp listening on ${port} as ${issuer}`));
