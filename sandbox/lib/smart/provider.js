'use strict';
// The demo clinic's SMART on FHIR authorization server (SMART App Launch 2.0, standalone patient
// launch), built on oidc-provider (OpenID Certified, maintained; MIT). It runs in the same process as
// the FHIR engine, under /auth, so the FHIR base can check the tokens it issues without a network hop.
//
// What it offers, and where it is configured below:
//   - authorization code with PKCE S256 (required for every client), `aud` = the FHIR base required;
//   - a login page with the demo accounts (accounts.json), then one page that asks whose record to
//     open (the SMART patient picker: a parent linked to children by RelatedPerson picks one) and
//     shows the scopes asked for, in plain words;
//   - JWT access tokens (ES256, `typ: at+jwt`, aud = the FHIR base) carrying `patient` and `fhirUser`;
//     the token response carries `patient` too (the SMART launch context);
//   - refresh tokens (offline_access; rotated at every use), revocation (RFC 7009): revoking the
//     refresh token revokes the grant, and the FHIR base then refuses every access token of it;
//   - client credentials with a signed JWT assertion (SMART Backend Services) for the clinic's own
//     services (scheduling writes), when the launcher registers the system client's public key;
//   - `.well-known/smart-configuration` at the FHIR base (served by the adapter from `smartConfiguration`).
const crypto = require('node:crypto');
const { grantableScopes } = require('./scopes');
const views = require('./views');

const APP_CLIENT_ID = 'health-assistant-app';
const SYSTEM_CLIENT_ID = 'clinic-system';
const MOUNT = '/auth';
const FORM_LIMIT = 16 * 1024;

function readForm(req) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    req.on('data', (c) => {
      size += c.length;
      if (size > FORM_LIMIT) {
        reject(new Error('form too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

function sendHtml(res, status, html) {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    // form-action also governs the redirects after a form is sent: the last one goes back to the app
    // at its loopback redirect URI (any port).
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http://127.0.0.1:* http://localhost:*; frame-ancestors 'none'",
    'X-Frame-Options': 'DENY',
  });
  res.end(html);
}

/**
 * Build the authorization server. `origin` is http://host:port of this process, `fhirBase` the FHIR
 * base URL (the token audience), `patientName(id)` a display name for the picker.
 */
async function createSmartServer({
  origin,
  fhirBase,
  clinicName,
  accounts,
  resourceTypes,
  patientName,
  systemClientJwks = null,
  accessTokenTtl = 300,
  refreshTokenTtl = 24 * 3600,
}) {
  const { Provider, errors } = await import('oidc-provider');
  const jose = await import('jose');
  const issuer = `${origin}${MOUNT}`;

  const { privateKey, publicKey } = await jose.generateKeyPair('ES256', { extractable: true });
  const kid = crypto.randomBytes(8).toString('hex');
  const privateJwk = { ...(await jose.exportJWK(privateKey)), kid, alg: 'ES256', use: 'sig' };
  const publicJwk = { ...(await jose.exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const localKeys = jose.createLocalJWKSet({ keys: [publicJwk] });

  const launchContexts = new Map(); // grantId → { patient, fhirUser, relation }
  const issued = new Map(); // access-token jti → { grantId, exp }
  const revokedGrants = new Set();
  const scopes = grantableScopes(resourceTypes);

  const clients = [
    {
      client_id: APP_CLIENT_ID,
      client_name: 'Health assistant',
      // A local app with a loopback redirect (RFC 8252): any port of http://127.0.0.1/ is accepted.
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      redirect_uris: ['http://127.0.0.1/', 'http://localhost/'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    },
  ];
  if (systemClientJwks) {
    clients.push({
      client_id: SYSTEM_CLIENT_ID,
      client_name: `${clinicName} (system)`,
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES384',
      jwks: systemClientJwks,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
    });
  }

  function contextFor(ctx, token) {
    const grantId = (token && token.grantId) || (ctx && ctx.oidc && ctx.oidc.entities.Grant && ctx.oidc.entities.Grant.jti);
    return grantId ? launchContexts.get(grantId) : undefined;
  }

  const provider = new Provider(issuer, {
    clients,
    jwks: { keys: [privateJwk] },
    cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
    scopes: ['openid', 'offline_access', 'fhirUser', 'profile', 'launch/patient'],
    claims: { openid: ['sub'], fhirUser: ['fhirUser'], profile: ['name'] },
    routes: { authorization: '/authorize' },
    clientAuthMethods: ['none', 'private_key_jwt'],
    clientDefaults: { id_token_signed_response_alg: 'ES256', grant_types: ['authorization_code'], response_types: ['code'] },
    enabledJWA: { clientAuthSigningAlgValues: ['ES384', 'RS384'] },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => fhirBase,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (ctx, indicator) => {
          if (indicator !== fhirBase) throw new errors.InvalidTarget(`the only resource here is ${fhirBase}`);
          return {
            scope: scopes.join(' '),
            audience: fhirBase,
            accessTokenTTL: accessTokenTtl,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
    extraParams: {
      // SMART App Launch: the app names the FHIR server it wants a token for; only ours is served.
      async aud(ctx, value) {
        if (ctx.oidc.route !== 'authorization') return;
        if (!value) throw new errors.InvalidRequest('the aud parameter (the FHIR base URL) is required');
        if (value.replace(/\/$/, '') !== fhirBase) throw new errors.InvalidRequest(`aud must be ${fhirBase}`);
      },
    },
    async extraTokenClaims(ctx, token) {
      issued.set(token.jti, { grantId: token.grantId, exp: Date.now() / 1000 + accessTokenTtl });
      const context = launchContexts.get(token.grantId);
      return context ? { patient: context.patient, fhirUser: `${fhirBase}/${context.fhirUser}` } : undefined;
    },
    async findAccount(ctx, sub, token) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        async claims() {
          const context = contextFor(ctx, token);
          return {
            sub,
            name: account.name,
            ...(context ? { fhirUser: `${fhirBase}/${context.fhirUser}` } : {}),
          };
        },
      };
    },
    interactions: { url: async (ctx, interaction) => `${MOUNT}/interaction/${interaction.uid}` },
    // Ask whose record and which scopes every time: the choice of patient belongs to this sign-in.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result && ctx.oidc.result.consent && ctx.oidc.result.consent.grantId;
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    async issueRefreshToken(ctx, client, code) {
      return client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access');
    },
    rotateRefreshToken: true,
    ttl: {
      AccessToken: accessTokenTtl,
      ClientCredentials: accessTokenTtl,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 900,
      Session: 3600,
      Grant: refreshTokenTtl,
      RefreshToken: refreshTokenTtl,
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = views.errorPage({ locales: ctx.oidc && ctx.oidc.params && ctx.oidc.params.ui_locales, ...out });
    },
  });
  // Quiet: the sandbox speaks one JSON line on stdout.
  provider.on('server_error', (ctx, err) => process.stderr.write(`auth server error: ${err && err.stack}\n`));
  provider.on('grant.revoked', (ctx, grantId) => revokedGrants.add(grantId));

  // SMART apps ask for offline_access without prompt=consent, which OpenID Connect needs before a
  // server keeps that scope. This server asks for consent at every authorization anyway (see
  // loadExistingGrant), so saying so in the request is exact, and keeps the scope.
  provider.use(async (ctx, next) => {
    if (ctx.path === '/authorize' && ctx.method === 'GET' && /(^|\s)offline_access(\s|$)/.test(String(ctx.query.scope || ''))) {
      const prompts = new Set(String(ctx.query.prompt || '').split(' ').filter(Boolean));
      prompts.add('consent');
      ctx.query = { ...ctx.query, prompt: [...prompts].join(' ') };
      ctx.req.originalUrl = `${MOUNT}${ctx.url}`; // oidc-provider finds its mount path by comparing the two
    }
    await next();
  });

  // SMART: the token response names the patient of the launch.
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.oidc && ctx.oidc.route === 'token' && ctx.status === 200 && ctx.body && ctx.body.access_token) {
      const entity = ctx.oidc.entities.AuthorizationCode || ctx.oidc.entities.RefreshToken;
      const context = entity && launchContexts.get(entity.grantId);
      if (context) {
        ctx.body.patient = context.patient;
        ctx.body.need_patient_banner = true;
      }
    }
  });

  const callback = provider.callback();

  async function interaction(req, res, uid, action) {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new errors.SessionNotFound('interaction mismatch');
    const { prompt, params } = details;
    const client = await provider.Client.find(params.client_id);
    const base = { uid, clinic: clinicName, client: (client && client.clientName) || params.client_id, locales: params.ui_locales, mount: MOUNT };

    if (prompt.name === 'login') {
      if (action === 'login' && req.method === 'POST') {
        const form = await readForm(req);
        const account = accounts.verify(form.get('username'), form.get('password'));
        if (!account) return sendHtml(res, 200, views.loginPage({ ...base, error: true, username: form.get('username') }));
        return provider.interactionFinished(req, res, { login: { accountId: account.username } }, { mergeWithLastSubmission: false });
      }
      return sendHtml(res, 200, views.loginPage(base));
    }

    if (prompt.name === 'consent') {
      const account = accounts.get(details.session.accountId);
      if (!account) throw new errors.SessionNotFound('unknown account');
      const choices = [];
      for (const choice of accounts.choices(account)) {
        choices.push({ ...choice, name: (await patientName(choice.patient)) || choice.patient });
      }
      const asked = String(params.scope || '').split(/\s+/).filter(Boolean);
      const page = (error) => views.consentPage({ ...base, accountName: account.name, choices, scopes: asked, error });
      if (action !== 'confirm' || req.method !== 'POST') return sendHtml(res, 200, page(false));

      const form = await readForm(req);
      if (form.get('decision') !== 'allow') {
        return provider.interactionFinished(
          req,
          res,
          { error: 'access_denied', error_description: 'the patient did not allow access' },
          { mergeWithLastSubmission: false },
        );
      }
      const chosen = choices.find((c) => c.patient === form.get('patient'));
      if (!chosen) return sendHtml(res, 200, page(true));

      const grant = new provider.Grant({ accountId: account.username, clientId: params.client_id });
      const { details: missing } = prompt;
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      for (const [indicator, scope] of Object.entries(missing.missingResourceScopes || {})) {
        grant.addResourceScope(indicator, scope.join(' '));
      }
      const grantId = await grant.save();
      launchContexts.set(grantId, { patient: chosen.patient, fhirUser: chosen.fhirUser, relation: chosen.relation });
      return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    }
    return sendHtml(res, 400, views.errorPage({ locales: params.ui_locales, error: 'unsupported_interaction', description: prompt.name }));
  }

  /** Route a request under /auth. */
  async function handle(req, res) {
    const url = new URL(req.url, origin);
    const m = /^\/auth\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|confirm))?$/.exec(url.pathname);
    if (m) {
      try {
        await interaction(req, res, m[1], m[2]);
      } catch (err) {
        const status = err && err.statusCode ? err.statusCode : 400;
        sendHtml(res, status, views.errorPage({ error: (err && err.error) || 'invalid_request', description: err && (err.error_description || err.message) }));
      }
      return;
    }
    req.originalUrl = req.url;
    req.url = req.url.slice(MOUNT.length) || '/';
    callback(req, res);
  }

  /** Claims of a valid, unrevoked access token issued by this server for the FHIR base; throws why not. */
  async function verifyAccessToken(token) {
    let payload;
    try {
      ({ payload } = await jose.jwtVerify(token, localKeys, {
        issuer,
        audience: fhirBase,
        algorithms: ['ES256'],
        typ: 'at+jwt',
      }));
    } catch (err) {
      if (err && err.code === 'ERR_JWT_EXPIRED') throw new Error('the access token has expired');
      if (err && err.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && err.claim === 'aud') throw new Error('the access token is for another audience');
      throw new Error(`the access token is not valid here (${err && err.code ? err.code : 'invalid'})`);
    }
    const known = issued.get(payload.jti);
    if (!known) throw new Error('the access token was not issued by this server');
    if (known.grantId && revokedGrants.has(known.grantId)) throw new Error('the access token has been revoked');
    return payload;
  }

  // Forget expired token records now and then (they are refused by their expiry anyway).
  const sweep = setInterval(() => {
    const now = Date.now() / 1000;
    for (const [jti, info] of issued) if (info.exp < now - 60) issued.delete(jti);
  }, 60000);
  sweep.unref();

  function smartConfiguration() {
    return {
      issuer,
      jwks_uri: `${issuer}/jwks`,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      revocation_endpoint: `${issuer}/token/revocation`,
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
      token_endpoint_auth_methods_supported: ['none', 'private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['ES384', 'RS384'],
      scopes_supported: ['openid', 'fhirUser', 'profile', 'launch/patient', 'offline_access', 'patient/*.rs',
        'patient/*.read', 'patient/Consent.cu', 'system/*.rs', 'system/Slot.u', 'system/Appointment.cu'],
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      capabilities: ['launch-standalone', 'client-public', 'client-confidential-asymmetric', 'context-standalone-patient',
        'context-banner', 'permission-offline', 'permission-patient', 'permission-v1', 'permission-v2',
        'sso-openid-connect'],
    };
  }

  /** Counts for /$admin/status (tests and demos): sign-ins granted and revoked since the start. */
  function stats() {
    return { grants: launchContexts.size, revoked: [...revokedGrants].filter((g) => launchContexts.has(g)).length };
  }

  return { issuer, mount: MOUNT, handle, verifyAccessToken, smartConfiguration, stats, appClientId: APP_CLIENT_ID, systemClientId: SYSTEM_CLIENT_ID };
}

module.exports = { createSmartServer, APP_CLIENT_ID, SYSTEM_CLIENT_ID, MOUNT };
