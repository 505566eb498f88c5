'use strict';
// The demo clinic's sign-in pages: login, whose record (patient picker) with the consent to the
// scopes asked for, and errors. Plain server-rendered HTML in English or French (the app passes
// ui_locales), with labels on every field, 44 px controls and text at 4.5:1 contrast or more.

const STRINGS = {
  en: {
    signIn: 'Sign in',
    signInTitle: 'Sign in to {clinic}',
    asksAccess: '{client} wants to open your health record at {clinic}.',
    username: 'Username',
    password: 'Password',
    demoHint: 'Demo clinic: the demo accounts and their passwords are listed in the project README.',
    badLogin: 'That username and password do not match an account. Please try again.',
    consentTitle: 'Allow {client} to use your record?',
    whose: 'Whose record do you want to open?',
    yourOwn: 'My own record ({name})',
    yourChild: 'My child: {name}',
    willBeAble: '{client} will be able to:',
    approve: 'Allow',
    deny: 'Do not allow',
    signedInAs: 'Signed in as {name}.',
    revokeLater: 'You can disconnect at any time in the app; access then stops at once.',
    errorTitle: 'Sign-in could not continue',
    back: 'Return to the app and start again.',
    chooseOne: 'Choose whose record to open.',
  },
  fr: {
    signIn: 'Se connecter',
    signInTitle: 'Connexion à {clinic}',
    asksAccess: '{client} souhaite ouvrir votre dossier de santé chez {clinic}.',
    username: "Nom d'utilisateur",
    password: 'Mot de passe',
    demoHint: 'Cabinet de démonstration : les comptes de démonstration et leurs mots de passe sont dans le README du projet.',
    badLogin: "Ce nom d'utilisateur et ce mot de passe ne correspondent à aucun compte. Réessayez.",
    consentTitle: 'Autoriser {client} à utiliser votre dossier ?',
    whose: 'Quel dossier voulez-vous ouvrir ?',
    yourOwn: 'Mon propre dossier ({name})',
    yourChild: 'Mon enfant : {name}',
    willBeAble: '{client} pourra :',
    approve: 'Autoriser',
    deny: 'Ne pas autoriser',
    signedInAs: 'Connecté en tant que {name}.',
    revokeLater: "Vous pouvez vous déconnecter à tout moment dans l'application ; l'accès s'arrête aussitôt.",
    errorTitle: 'La connexion ne peut pas continuer',
    back: "Revenez à l'application et recommencez.",
    chooseOne: 'Choisissez le dossier à ouvrir.',
  },
};

// What each scope lets the app do, in the patient's words.
const SCOPE_TEXT = {
  en: {
    openid: 'Know who you are (your account)',
    fhirUser: 'Know who you are at the clinic (patient or parent)',
    profile: 'See your name',
    'launch/patient': 'Know whose record is open',
    offline_access: 'Stay connected until you disconnect',
    read: 'Read the health record: problems, medicines, allergies, results, visits, vaccines, appointments',
    consent: 'Record your consent choices (and their withdrawal) at the clinic',
    readType: 'Read the record’s {type} entries',
  },
  fr: {
    openid: 'Savoir qui vous êtes (votre compte)',
    fhirUser: 'Savoir qui vous êtes au cabinet (patient ou parent)',
    profile: 'Voir votre nom',
    'launch/patient': 'Savoir quel dossier est ouvert',
    offline_access: "Rester connecté jusqu'à ce que vous vous déconnectiez",
    read: 'Lire le dossier de santé : problèmes, médicaments, allergies, résultats, consultations, vaccins, rendez-vous',
    consent: 'Enregistrer vos choix de consentement (et leur retrait) au cabinet',
    readType: 'Lire les entrées {type} du dossier',
  },
};

function lang(locales) {
  return String(locales || '').split(/\s+/).some((l) => l.toLowerCase().startsWith('fr')) ? 'fr' : 'en';
}

function esc(value) {
  return String(value == null ? '' : value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (_, k) => esc(values[k]));
}

/** Plain-language lines for the scopes asked for (one line per meaning, in a stable order). */
function scopeLines(scopes, l) {
  const t = SCOPE_TEXT[l];
  const lines = [];
  const add = (text) => {
    if (!lines.includes(text)) lines.push(text);
  };
  for (const scope of scopes) {
    if (t[scope]) add(t[scope]);
    else if (/^patient\/\*\.(rs|read|r|s)$/.test(scope)) add(t.read);
    else if (/^patient\/Consent\./.test(scope)) add(t.consent);
    else {
      const m = /^patient\/([A-Za-z]+)\.(rs|read|r|s)$/.exec(scope);
      if (m) add(t.readType.replace('{type}', m[1]));
      else add(scope);
    }
  }
  return lines;
}

const CSS = `
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #1f2328; background: #ffffff;
  margin: 0; line-height: 1.5; font-size: 1rem; }
main { max-width: 32rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.5rem; margin: 0.5rem 0 1rem; }
.clinic { color: #4b4e57; font-size: 0.95rem; }
label { display: block; font-weight: 600; margin: 1rem 0 0.25rem; }
input[type=text], input[type=password] { box-sizing: border-box; width: 100%; min-height: 2.75rem; font-size: 1rem;
  padding: 0.5rem 0.75rem; border: 1px solid #6e7281; border-radius: 0.4rem; color: #1f2328; }
.choice { display: flex; align-items: center; gap: 0.75rem; min-height: 2.75rem; border: 1px solid #6e7281;
  border-radius: 0.4rem; padding: 0 0.75rem; margin: 0.5rem 0; font-weight: 400; }
.choice input { width: 1.25rem; height: 1.25rem; }
button { min-height: 2.75rem; min-width: 2.75rem; font-size: 1rem; padding: 0.5rem 1.25rem; border-radius: 0.4rem;
  cursor: pointer; margin: 1.25rem 0.5rem 0 0; }
button.primary { background: #b3261e; color: #ffffff; border: 1px solid #b3261e; font-weight: 700; }
button.secondary { background: #ffffff; color: #1f2328; border: 1px solid #6e7281; }
.error { background: #fdecea; color: #7d1f1a; border: 1px solid #b3261e; border-radius: 0.4rem; padding: 0.75rem; }
.hint { color: #4b4e57; font-size: 0.95rem; }
ul { padding-left: 1.25rem; }
:focus-visible { outline: 3px solid #1a5fb4; outline-offset: 2px; }
`;

function page(l, title, body) {
  return `<!doctype html>
<html lang="${l}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body><main>${body}</main></body></html>`;
}

function loginPage({ uid, clinic, client, locales, error, username, mount }) {
  const l = lang(locales);
  const s = STRINGS[l];
  const title = fill(s.signInTitle, { clinic });
  return page(l, title, `
<p class="clinic">${esc(clinic)}</p>
<h1>${title}</h1>
<p>${fill(s.asksAccess, { client, clinic })}</p>
${error ? `<p class="error" role="alert">${esc(s.badLogin)}</p>` : ''}
<form method="post" action="${esc(mount)}/interaction/${esc(uid)}/login" autocomplete="off">
  <label for="username">${esc(s.username)}</label>
  <input id="username" name="username" type="text" autocapitalize="none" value="${esc(username || '')}" required autofocus>
  <label for="password">${esc(s.password)}</label>
  <input id="password" name="password" type="password" required>
  <button class="primary" type="submit">${esc(s.signIn)}</button>
</form>
<p class="hint">${esc(s.demoHint)}</p>`);
}

function consentPage({ uid, clinic, client, locales, accountName, choices, scopes, mount, error }) {
  const l = lang(locales);
  const s = STRINGS[l];
  const title = fill(s.consentTitle, { client });
  const options = choices
    .map((c, i) => {
      const label = c.relation === 'self' ? fill(s.yourOwn, { name: c.name }) : fill(s.yourChild, { name: c.name });
      const checked = choices.length === 1 || i === 0 ? ' checked' : '';
      return `<label class="choice"><input type="radio" name="patient" value="${esc(c.patient)}"${checked}> ${label}</label>`;
    })
    .join('\n');
  return page(l, title, `
<p class="clinic">${esc(clinic)}</p>
<h1>${title}</h1>
<p>${fill(s.signedInAs, { name: accountName })}</p>
${error ? `<p class="error" role="alert">${esc(s.chooseOne)}</p>` : ''}
<form method="post" action="${esc(mount)}/interaction/${esc(uid)}/confirm">
  <fieldset style="border:0;padding:0;margin:0">
    <legend style="font-weight:600">${esc(s.whose)}</legend>
    ${options}
  </fieldset>
  <p>${fill(s.willBeAble, { client })}</p>
  <ul>${scopeLines(scopes, l).map((line) => `<li>${esc(line)}</li>`).join('')}</ul>
  <p class="hint">${esc(s.revokeLater)}</p>
  <button class="primary" type="submit" name="decision" value="allow">${esc(s.approve)}</button>
  <button class="secondary" type="submit" name="decision" value="deny">${esc(s.deny)}</button>
</form>`);
}

function errorPage({ locales, error, description }) {
  const l = lang(locales);
  const s = STRINGS[l];
  return page(l, s.errorTitle, `
<h1>${esc(s.errorTitle)}</h1>
<p class="error" role="alert">${esc(error)}${description ? `: ${esc(description)}` : ''}</p>
<p>${esc(s.back)}</p>`);
}

module.exports = { loginPage, consentPage, errorPage, scopeLines, lang };
