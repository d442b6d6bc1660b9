package org.felund.crypto.internal;

import org.felund.api.crypto.CryptoService;
import org.felund.crypto.JcaCryptoService;
import org.osgi.service.component.annotations.Component;

/** Registers the JCA-based {@link CryptoService}; all logic is in {@link JcaCryptoService}. */
@Component(service = CryptoService.class)
public final class CryptoServiceComponent extends JcaCryptoService {
}
