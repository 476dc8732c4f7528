// A real OpenID provider for Microcred's single sign-on tests (panva's oidc-provider), on
// localhost. Usage: node oidc-provider.mjs CONFIG.json ; the file gives
// {"port": 0, "clients": [client metadata], "accounts": {"login": {claims}}}.
// The login form (the package's development interactions) takes an account's login and any
// password; consent is given in advance. It prints "ready <issuer>" once it listens.
import { readFileSync } from 'node:fs';
import http from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const server = http.createServer();
await new Promise((resolve) => { server.listen(config.port || 0, '127.0.0.1', resolve); });
const issuer = `http://localhost:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: config.clients,
  // Every client here is ours: consent is taken as given, so the test signs in once.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    grant.addOIDCClaims(['email', 'email_verified', 'name', 'sourcedId']);
    await grant.save();
    return grant;
  },
  async findAccount(ctx, id) {
    const claims = config.accounts[id];
    if (!claims) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'sourcedId'],
  },
  // The refusal of a flow without PKCE is what proves the client uses it.
  pkce: { required: () => true },
  conformIdTokenClaims: false, // the claims go in the ID token too, not only in userinfo
  cookies: { keys: ['microcred-test-only-cookie-key'] },
  features: { devInteractions: { enabled: true } },
  enabledJWA: { idTokenSigningAlgValues: ['RS256', 'HS256'] },
});
server.on('request', provider.callback());
console.log(`ready ${issuer}`);
