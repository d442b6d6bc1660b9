/**
 * Helpers shared by the tests of several bundles: the reference test vectors and DS diagnostics. Test-only:
 * no feature ships this bundle; bundles import the package optionally so that only their tests see it.
 */
package org.felund.testsupport;
