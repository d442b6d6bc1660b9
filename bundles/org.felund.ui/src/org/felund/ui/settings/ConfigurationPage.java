package org.felund.ui.settings;

import java.io.IOException;
import java.util.Map;

import org.eclipse.jface.preference.PreferencePage;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;

/**
 * The settings page of one plugin configuration: its metatype's fields, validated as they are edited; OK writes
 * what changed through Configuration Admin, and nothing at all while a field is wrong.
 */
public final class ConfigurationPage extends PreferencePage {
	private final PluginConfiguration configuration;
	private final PluginConfigurations plugins;
	private ConfigurationForm form;

	public ConfigurationPage(PluginConfiguration configuration, PluginConfigurations plugins) {
		super(configuration.name());
		this.configuration = configuration;
		this.plugins = plugins;
	}

	public PluginConfiguration configuration() {
		return configuration;
	}

	@Override
	protected Control createContents(Composite parent) {
		ConfigurationStore store = plugins.store();
		Map<String, Object> current;
		try {
			current = store == null ? Map.of() : store.read(configuration.pid());
		} catch (IOException | IllegalArgumentException e) {
			return unavailable(parent, "The settings of " + configuration.name() + " cannot be read: " + e.getMessage());
		}
		if (store == null) {
			return unavailable(parent, "Configuration Admin is not running, so these settings cannot be saved.");
		}
		form = new ConfigurationForm(parent, configuration, current, this::validate);
		validate();
		return form.control();
	}

	private Control unavailable(Composite parent, String why) {
		Label label = new Label(parent, SWT.WRAP);
		label.setText(why);
		return label;
	}

	private void validate() {
		if (form == null) {
			return;
		}
		ConfigurationEdit edit = form.edit();
		setErrorMessage(edit.error());
		setValid(edit.valid());
	}

	@Override
	protected void performDefaults() {
		if (form != null) {
			form.restoreDefaults();
			validate();
		}
		super.performDefaults();
	}

	@Override
	public boolean performOk() {
		if (form == null) {
			return true;
		}
		ConfigurationEdit edit = form.edit();
		if (!edit.valid()) {
			setErrorMessage(edit.error());
			return false;
		}
		ConfigurationStore store = plugins.store();
		if (store == null) {
			setErrorMessage("Configuration Admin is not running: nothing was saved.");
			return false;
		}
		try {
			store.write(configuration.pid(), edit.attributes());
			return true;
		} catch (IOException | IllegalArgumentException | IllegalStateException e) {
			setErrorMessage("Cannot save the settings of " + configuration.name() + ": " + e.getMessage());
			return false;
		}
	}
}
