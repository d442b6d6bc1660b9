/**
 * Drives Debian's headless Chromium for browser interop tests: the browser process ({@link
 * org.felund.testsupport.browser.Chromium}), the DevTools calls the tests need ({@link
 * org.felund.testsupport.browser.Cdp}) and the loopback server of the test page ({@link
 * org.felund.testsupport.browser.PageServer}).
 */
package org.felund.testsupport.browser;
