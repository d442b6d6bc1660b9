package org.felund.plugins.internal;

import java.io.File;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bouncycastle.openpgp.PGPPublicKey;
import org.eclipse.equinox.p2.core.UIServices;
import org.eclipse.equinox.p2.metadata.IArtifactKey;
import org.eclipse.equinox.p2.repository.artifact.spi.IArtifactUIServices;
import org.felund.plugins.PluginPrompts;
import org.felund.plugins.PluginPrompts.TrustRequest;

/**
 * p2's {@link UIServices} for the agent the plugin service uses: p2 asks here, during an install, whether to trust
 * unsigned content and signers it does not know, and the question goes to the {@link PluginPrompts} of the
 * operation under way. With no operation under way nothing is trusted. Logins are not supported.
 */
final class TrustQuestions extends UIServices implements IArtifactUIServices {
	private volatile PluginPrompts current;
	private volatile boolean declined;

	/** Routes p2's questions to {@code prompts} until {@link #end()}. */
	void begin(PluginPrompts prompts) {
		declined = false;
		current = prompts;
	}

	void end() {
		current = null;
	}

	/** Whether the user said no to a trust question since {@link #begin}. */
	boolean declined() {
		return declined;
	}

	@Override
	public TrustInfo getTrustInfo(Map<List<Certificate>, Set<IArtifactKey>> untrustedCertificateChains,
			Map<PGPPublicKey, Set<IArtifactKey>> untrustedPGPKeys, Set<IArtifactKey> unsignedArtifacts,
			Map<IArtifactKey, File> artifactFiles) {
		List<String> unsigned = unsignedArtifacts.stream().map(TrustQuestions::describe).sorted().toList();
		List<String> signers = new ArrayList<>();
		untrustedCertificateChains.keySet().forEach(chain -> signers.add(describe(chain)));
		untrustedPGPKeys.keySet().forEach(key -> signers.add(describe(key)));
		PluginPrompts prompts = current;
		boolean yes = prompts != null && prompts.trust(new TrustRequest(unsigned, signers));
		if (!yes) {
			declined = true;
			return new TrustInfo(List.of(), List.of(), false, false);
		}
		List<Certificate> certificates = untrustedCertificateChains.keySet().stream().flatMap(List::stream).toList();
		return new TrustInfo(certificates, List.copyOf(untrustedPGPKeys.keySet()), false, true);
	}

	@Override
	public TrustInfo getTrustInfo(Certificate[][] untrustedChain, String[] unsignedDetail) {
		return getTrustInfo(untrustedChain, List.of(), unsignedDetail);
	}

	@Override
	public TrustInfo getTrustInfo(Certificate[][] untrustedChains, Collection<PGPPublicKey> untrustedPGPKeys,
			String[] unsignedDetail) {
		List<String> unsigned = unsignedDetail == null ? List.of() : Arrays.asList(unsignedDetail);
		List<String> signers = new ArrayList<>();
		if (untrustedChains != null) {
			for (Certificate[] chain : untrustedChains) {
				signers.add(describe(Arrays.asList(chain)));
			}
		}
		untrustedPGPKeys.forEach(key -> signers.add(describe(key)));
		PluginPrompts prompts = current;
		boolean yes = prompts != null && prompts.trust(new TrustRequest(unsigned, signers));
		if (!yes) {
			declined = true;
			return new TrustInfo(List.of(), List.of(), false, false);
		}
		List<Certificate> certificates = untrustedChains == null ? List.of()
				: Arrays.stream(untrustedChains).flatMap(Arrays::stream).toList();
		return new TrustInfo(certificates, List.copyOf(untrustedPGPKeys), false, true);
	}

	@Override
	public AuthenticationInfo getUsernamePassword(String location) {
		return AUTHENTICATION_PROMPT_CANCELED;
	}

	@Override
	public AuthenticationInfo getUsernamePassword(String location, AuthenticationInfo previousInfo) {
		return AUTHENTICATION_PROMPT_CANCELED;
	}

	@Override
	public void showInformationMessage(String title, String text, String linkText) {
		// p2 reports these through the operation's status as well.
	}

	private static String describe(IArtifactKey key) {
		return key.getClassifier() + " " + key.getId() + " " + key.getVersion();
	}

	private static String describe(List<Certificate> chain) {
		if (!chain.isEmpty() && chain.get(0) instanceof X509Certificate x) {
			return "certificate " + x.getSubjectX500Principal().getName() + " (issued by "
					+ x.getIssuerX500Principal().getName() + ")";
		}
		return "certificate chain of " + chain.size();
	}

	private static String describe(PGPPublicKey key) {
		List<String> ids = new ArrayList<>();
		key.getUserIDs().forEachRemaining(ids::add);
		return "PGP key " + HexFormat.of().formatHex(key.getFingerprint()).toUpperCase()
				+ (ids.isEmpty() ? "" : " " + String.join(", ", ids));
	}
}
