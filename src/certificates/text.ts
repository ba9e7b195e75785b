/** French wording of the certificates: templates/text/certificates/ (messages and Handlebars views). */
import { catalogue, loadTemplateSource } from "../assets/texts.js";
import { compileText } from "../templating/index.js";

const sources = new Map<string, string>();

/** A view of templates/text/certificates/<name>.hbs (check report, summaries, reminders). */
export function renderText(name: string, data: object): string {
  let source = sources.get(name);
  if (source === undefined) {
    source = loadTemplateSource(`text/certificates/${name}.hbs`);
    sources.set(name, source);
  }
  return compileText(source, { strict: true })(data);
}

/** What the code reads in templates/text/certificates/messages.fr.json, with the placeholders it fills. */
export const CERTIFICATE_TEXTS_SHAPE = {
  unreadable: {
    damaged: [],
    certificateDamaged: ["subject"],
    crlDamaged: [],
    file: ["file", "what"],
    empty: [],
    keyUnreadable: [],
    pemIncomplete: [],
    pemBlock: ["label"],
    pemEmpty: [],
    unknownFormat: [],
  },
  bundle: {
    CHECK_FAILED: ["file", "label", "detail"],
    CHECK_WARNING: ["file", "label", "detail"],
    CHAIN_NOT_IGC_SANTE: ["chain", "root"],
    noCertificate: ["file"],
    severalCertificates: ["file", "count"],
    noKey: ["file"],
    keyMismatch: ["key", "file"],
    chainBroken: ["file", "issuer", "chain"],
    shippedChainBroken: ["file", "issuer"],
    testChain: [],
    friendlyName: [],
  },
  files: {
    keyPassphraseRequired: ["file"],
    keyPassphraseWrong: ["file"],
    csr: ["file"],
    pkcs12PasswordRequired: ["file"],
    pkcs12Unreadable: ["file"],
    pkcs12Password: ["file"],
    pkcs12Enveloped: ["file"],
    pkcs12LegacyCipher: ["file", "oid"],
    pkcs12Content: ["file"],
    passphraseTooShort: ["min"],
  },
  subject: {
    stFromPostalCode: ["finess", "postalCode", "state"],
    stFromFinessGuess: ["finess", "digit", "code", "state"],
    stUnknown: ["finess"],
    nameEmpty: [],
    nameTruncated: ["max", "organization"],
    fqdnEmpty: [],
    fqdnTooLong: ["fqdn", "length", "max"],
  },
  anchors: {
    production: [],
    test: [],
    custom: ["name"],
    tampered: ["file", "actual", "expected"],
  },
  profiles: {
    ORG_AUTH_CLI: [],
    SSL_SERVEUR: [],
  },
  usages: {
    ORG_AUTH_CLI: [],
    SSL_SERVEUR: [],
  },
  marks: {
    ok: [],
    warning: [],
    failed: [],
    info: [],
  },
  checks: {
    labels: {
      chain: [],
      validity: [],
      renewal: [],
      revocation: [],
      name: [],
      extendedKeyUsage: [],
      keyAlgorithm: [],
      signatureAlgorithm: [],
      keyMatch: [],
    },
    chain: {
      selfSigned: [],
      issuerUnknown: ["issuer"],
      badSignature: ["issuer"],
      issuerNotCa: ["issuer"],
      untrustedRoot: ["issuer"],
      tooLong: [],
      outdated: ["name", "from", "to"],
      path: ["path", "anchor", "test"],
      otherPath: ["path", "anchor", "test"],
      pathSeparator: [],
      test: [],
    },
    validity: {
      notYet: ["date"],
      expired: ["date"],
      validOneDay: ["from", "to", "days"],
      validDays: ["from", "to", "days"],
    },
    renewal: {
      planned: ["date"],
      due: ["alert", "expiry"],
      ahead: ["date"],
    },
    revocation: {
      noCrlClient: ["url"],
      noCrl: ["url"],
      noChain: [],
      crlOutdated: ["issuer", "date"],
      revoked: ["date"],
      authorityRevoked: ["name", "date"],
      noIssuerCrl: ["url"],
      notRevokedBut: ["notes"],
      notRevoked: [],
      noteSeparator: [],
    },
    name: {
      unknownProfile: ["cn"],
      clientOk: ["cn"],
      clientWrong: ["cn", "expected"],
      wildcard: ["cn"],
      notFqdn: ["cn"],
      differs: ["cn", "expected"],
      noSan: [],
      sanMissing: ["names", "wanted"],
      serverWrong: ["problems"],
      problemSeparator: [],
      serverUnchecked: ["cn"],
      serverOk: ["cn"],
    },
    extendedKeyUsage: {
      unrestricted: ["usage"],
      allowed: ["usage"],
      missing: ["usage", "profile"],
    },
    keyAlgorithm: {
      rsa: ["bits"],
      rsaWeak: ["bits"],
      notRsa: ["algorithm"],
      curve: ["algorithm", "curve"],
    },
    signatureAlgorithm: {
      name: ["algorithm", "hash"],
      weak: ["name"],
      ok: ["name"],
    },
    keyMatch: {
      match: [],
      mismatch: [],
    },
  },
  calendar: {
    name: [],
  },
  dates: {
    dateTime: ["date", "time"],
  },
} as const;

/** The certificates' messages, read and checked on first use. */
export const certificateTexts = catalogue("text/certificates/messages.fr.json", CERTIFICATE_TEXTS_SHAPE);
