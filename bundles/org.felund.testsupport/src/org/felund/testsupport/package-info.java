/**
 * Helpers shared by the tests of several bundles: the reference test vectors, DS diagnostics, the component-test
 * scaffolding ({@link org.felund.testsupport.OsgiComponents}), a transport context that tests can steer
 * ({@link org.felund.testsupport.ForwardingContext}), loopback-only network namespaces
 * ({@link org.felund.testsupport.Netns}) and the class path of a plain child JVM
 * ({@link org.felund.testsupport.FlatClassPath}). Test-only: no feature ships this bundle; bundles import the
 * package optionally so that only their tests see it.
 */
package org.felund.testsupport;
