// How the tests and scripts start Debian's Chromium (Playwright's own browser downloads
// are not used). Without the networking flags Chromium's own background connections are
// refused many times over on a closed network.
module.exports = {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
