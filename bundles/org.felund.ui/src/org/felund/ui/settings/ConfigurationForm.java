package org.felund.ui.settings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.felund.ui.internal.WidgetIds;
import org.osgi.service.metatype.AttributeDefinition;

/**
 * The fields of one plugin configuration, made from its metatype: a check box for a yes/no attribute, a drop-down
 * for one with options, a text field otherwise (hidden input for passwords, one value per line for multi-valued
 * attributes), each with the attribute's description below it. Fields are tagged
 * {@code config.<pid>.<attribute id>} ({@link WidgetIds}).
 */
public final class ConfigurationForm {
	/** One attribute's field: how to read and set what it shows. */
	private interface Field {
		String text();

		void setText(String text);
	}

	private final PluginConfiguration configuration;
	private final Set<String> required;
	private final Map<String, Object> current;
	private final Map<String, Field> fields = new LinkedHashMap<>();
	private final Composite form;
	/** False while the fields get their first values, which are no edits. */
	private boolean ready;

	/**
	 * @param current the configuration's properties now (what the fields start with; defaults fill the rest)
	 * @param changed called after every edit, e.g. to show {@link #edit()}'s error
	 */
	public ConfigurationForm(Composite parent, PluginConfiguration configuration, Map<String, Object> current,
			Runnable changed) {
		this.configuration = configuration;
		this.required = configuration.required();
		this.current = Map.copyOf(current);
		form = new Composite(parent, SWT.NONE);
		form.setLayout(new GridLayout(2, false));
		if (!configuration.description().isBlank()) {
			note(configuration.description(), 0);
		}
		List<AttributeDefinition> attributes = configuration.attributes();
		if (attributes.isEmpty()) {
			note("This plugin has nothing to set.", 0);
		}
		Runnable edited = () -> {
			if (ready) {
				changed.run();
			}
		};
		for (AttributeDefinition ad : attributes) {
			Field field = field(ad, edited);
			fields.put(ad.getID(), field);
			Object value = this.current.get(ad.getID());
			field.setText(value != null ? AttributeValues.text(value) : AttributeValues.defaultText(ad));
			String description = ad.getDescription();
			if (description != null && !description.isBlank()) {
				note(description, 1);
			}
		}
		ready = true;
	}

	public Control control() {
		return form;
	}

	public PluginConfiguration configuration() {
		return configuration;
	}

	/** What the fields mean now: the first error, or the attributes to write. */
	public ConfigurationEdit edit() {
		Map<String, String> texts = new LinkedHashMap<>();
		fields.forEach((id, f) -> texts.put(id, f.text()));
		return ConfigurationEdit.of(configuration.attributes(), required, texts, current);
	}

	/** Shows every attribute's default (nothing is written until the page is applied). */
	public void restoreDefaults() {
		for (AttributeDefinition ad : configuration.attributes()) {
			fields.get(ad.getID()).setText(AttributeValues.defaultText(ad));
		}
	}

	private Field field(AttributeDefinition ad, Runnable changed) {
		String id = "config." + configuration.pid() + "." + ad.getID();
		String name = AttributeValues.label(ad);
		String[] options = ad.getOptionValues();
		if (ad.getType() == AttributeDefinition.BOOLEAN && ad.getCardinality() == 0) {
			Button check = WidgetIds.tag(new Button(form, SWT.CHECK), id);
			check.setText(name);
			check.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
			check.addListener(SWT.Selection, e -> changed.run());
			return new Field() {
				@Override
				public String text() {
					return Boolean.toString(check.getSelection());
				}

				@Override
				public void setText(String text) {
					check.setSelection(Boolean.parseBoolean(text.strip()));
				}
			};
		}
		new Label(form, SWT.NONE).setText(name + ":");
		if (options != null && options.length > 0 && ad.getCardinality() == 0) {
			String[] labels = ad.getOptionLabels();
			Combo combo = WidgetIds.tag(new Combo(form, SWT.READ_ONLY | SWT.DROP_DOWN), id);
			combo.setItems(labels != null && labels.length == options.length ? labels : options);
			combo.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
			combo.addListener(SWT.Selection, e -> changed.run());
			return new Field() {
				@Override
				public String text() {
					int i = combo.getSelectionIndex();
					return i < 0 ? "" : options[i];
				}

				@Override
				public void setText(String text) {
					int i = List.of(options).indexOf(text.strip());
					if (i >= 0) {
						combo.select(i);
					} else {
						combo.deselectAll();
					}
				}
			};
		}
		boolean multi = ad.getCardinality() != 0;
		int style = SWT.BORDER | (multi ? SWT.MULTI | SWT.V_SCROLL : SWT.SINGLE)
				| (ad.getType() == AttributeDefinition.PASSWORD ? SWT.PASSWORD : SWT.NONE);
		Text text = WidgetIds.tag(new Text(form, style), id);
		GridData data = new GridData(SWT.FILL, SWT.CENTER, true, false);
		data.widthHint = 300;
		if (multi) {
			data.heightHint = 4 * text.getLineHeight();
			text.setMessage("one per line");
		} else if (!AttributeValues.defaultText(ad).isEmpty()) {
			text.setMessage(AttributeValues.defaultText(ad));
		}
		text.setLayoutData(data);
		text.addListener(SWT.Modify, e -> changed.run());
		return new Field() {
			@Override
			public String text() {
				return text.getText();
			}

			@Override
			public void setText(String value) {
				text.setText(value);
			}
		};
	}

	/** A line of help: the configuration's description (indent 0) or an attribute's, under its field (1). */
	private void note(String textValue, int column) {
		if (column > 0) {
			new Label(form, SWT.NONE);
		}
		Label note = new Label(form, SWT.WRAP);
		note.setText(textValue);
		GridData data = new GridData(SWT.FILL, SWT.TOP, true, false, column > 0 ? 1 : 2, 1);
		data.widthHint = column > 0 ? 300 : 420;
		note.setLayoutData(data);
		if (column > 0) {
			note.setForeground(form.getDisplay().getSystemColor(SWT.COLOR_WIDGET_DARK_SHADOW));
		}
	}
}
