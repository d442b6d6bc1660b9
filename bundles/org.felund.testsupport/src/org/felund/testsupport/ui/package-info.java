/**
 * Drives the real workbench in UI tests: boots it with the product's branding and finds, fills in and presses widgets
 * by their ids. Its SWT and e4 imports are optional, so that headless tests resolve this bundle without them.
 */
package org.felund.testsupport.ui;
