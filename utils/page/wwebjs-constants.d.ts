// whatsapp-web.js's constants are plain data (no imports), safe in the page
// bundle; we use the socket state names. Never import the package root, which
// pulls in puppeteer.
declare module 'whatsapp-web.js/src/util/Constants.js' {
  export const WAState: Readonly<Record<
    | 'CONFLICT'
    | 'CONNECTED'
    | 'DEPRECATED_VERSION'
    | 'OPENING'
    | 'PAIRING'
    | 'PROXYBLOCK'
    | 'SMB_TOS_BLOCK'
    | 'TIMEOUT'
    | 'TOS_BLOCK'
    | 'UNLAUNCHED'
    | 'UNPAIRED'
    | 'UNPAIRED_IDLE',
    string
  >>;
}
