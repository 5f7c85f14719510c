// Package setup serves the first-run page of `portico serve`: with no
// GitHub App configured, it creates one through GitHub's App manifest
// flow. The page posts a manifest (name, URLs, permissions and events
// portico needs) to GitHub with a random state kept here; GitHub creates
// the App and redirects to /setup/callback with a one-time code and the
// state; the handler checks the state, exchanges the code for the App's
// credentials (gh.ExchangeManifest), saves them in the data directory
// (config.SaveCredentials: app.json and app.pem, mode 0600, atomically)
// and calls OnCreated so that the server switches to App mode without a
// restart. Then it shows where to install the App.
//
// The page needs no JavaScript: choosing an organisation reloads the page
// with ?org=NAME, which changes where the form posts.
package setup
