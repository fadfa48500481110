// whatsapp-web.js depends on puppeteer; we only bundle its page utilities, so never
// let puppeteer download a browser (impossible offline, useless for an extension).
module.exports = { skipDownload: true };
