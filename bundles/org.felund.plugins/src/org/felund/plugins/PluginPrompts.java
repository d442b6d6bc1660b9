package org.felund.plugins;

import java.util.List;

/**
 * The questions p2 asks while applying a plan. The desktop shows dialogs; the command line answers from its
 * flags. Answering no stops the change and leaves the installation unchanged.
 */
public interface PluginPrompts {
	/** Whether the user accepts these licenses. */
	boolean acceptLicenses(List<PluginLicense> licenses);

	/** Whether the user trusts this content (unsigned artifacts, or signers that are not trusted yet). */
	boolean trust(TrustRequest request);

	/**
	 * Content p2 could not verify.
	 *
	 * @param unsignedArtifacts the artifacts that carry no signature (e.g. {@code osgi.bundle org.x 1.0.0})
	 * @param untrustedSigners the certificates and PGP keys that signed artifacts and are not trusted yet, described
	 *        for people
	 */
	record TrustRequest(List<String> unsignedArtifacts, List<String> untrustedSigners) {
		public TrustRequest {
			unsignedArtifacts = List.copyOf(unsignedArtifacts);
			untrustedSigners = List.copyOf(untrustedSigners);
		}
	}
}
