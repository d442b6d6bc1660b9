/**
 * The felund crypto implementation for embedding without OSGi: {@link org.felund.crypto.JcaCryptoService}.
 * Inside OSGi, use the {@link org.felund.api.crypto.CryptoService} registered by this bundle instead.
 */
package org.felund.crypto;
