package org.felund.ui.internal;

import java.lang.System.Logger.Level;

import org.eclipse.core.commands.common.EventManager;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.jface.preference.IPersistentPreferenceStore;
import org.eclipse.jface.util.IPropertyChangeListener;
import org.eclipse.jface.util.PropertyChangeEvent;
import org.osgi.service.prefs.BackingStoreException;

/**
 * A JFace preference store over Equinox preferences (an instance-scope node and its default-scope node): what
 * org.eclipse.ui.workbench's ScopedPreferenceStore does, for an RCP app without the 3.x workbench.
 */
public final class FelundPreferenceStore extends EventManager implements IPersistentPreferenceStore {
	private static final System.Logger LOG = System.getLogger(FelundPreferenceStore.class.getName());

	private final IEclipsePreferences values;
	private final IEclipsePreferences defaults;
	private boolean dirty;

	public FelundPreferenceStore(IEclipsePreferences values, IEclipsePreferences defaults) {
		this.values = values;
		this.defaults = defaults;
	}

	/** The store of the workbench's own preferences. */
	public static FelundPreferenceStore workbench() {
		return new FelundPreferenceStore(UiPreferences.instance(), UiPreferences.defaults());
	}

	@Override
	public void addPropertyChangeListener(IPropertyChangeListener listener) {
		addListenerObject(listener);
	}

	@Override
	public void removePropertyChangeListener(IPropertyChangeListener listener) {
		removeListenerObject(listener);
	}

	@Override
	public void firePropertyChangeEvent(String name, Object oldValue, Object newValue) {
		PropertyChangeEvent event = new PropertyChangeEvent(this, name, oldValue, newValue);
		for (Object l : getListeners()) {
			((IPropertyChangeListener) l).propertyChange(event);
		}
	}

	@Override
	public boolean contains(String name) {
		return values.get(name, null) != null || defaults.get(name, null) != null;
	}

	@Override
	public boolean isDefault(String name) {
		return values.get(name, null) == null;
	}

	@Override
	public boolean needsSaving() {
		return dirty;
	}

	@Override
	public void save() {
		try {
			values.flush();
			dirty = false;
		} catch (BackingStoreException | IllegalStateException e) {
			// IllegalStateException: no instance location (-data @none); the values stay in memory
			LOG.log(Level.WARNING, "Cannot save the Felund preferences: " + e.getMessage());
		}
	}

	@Override
	public boolean getBoolean(String name) {
		return values.getBoolean(name, getDefaultBoolean(name));
	}

	@Override
	public double getDouble(String name) {
		return values.getDouble(name, getDefaultDouble(name));
	}

	@Override
	public float getFloat(String name) {
		return values.getFloat(name, getDefaultFloat(name));
	}

	@Override
	public int getInt(String name) {
		return values.getInt(name, getDefaultInt(name));
	}

	@Override
	public long getLong(String name) {
		return values.getLong(name, getDefaultLong(name));
	}

	@Override
	public String getString(String name) {
		return values.get(name, getDefaultString(name));
	}

	@Override
	public boolean getDefaultBoolean(String name) {
		return defaults.getBoolean(name, BOOLEAN_DEFAULT_DEFAULT);
	}

	@Override
	public double getDefaultDouble(String name) {
		return defaults.getDouble(name, DOUBLE_DEFAULT_DEFAULT);
	}

	@Override
	public float getDefaultFloat(String name) {
		return defaults.getFloat(name, FLOAT_DEFAULT_DEFAULT);
	}

	@Override
	public int getDefaultInt(String name) {
		return defaults.getInt(name, INT_DEFAULT_DEFAULT);
	}

	@Override
	public long getDefaultLong(String name) {
		return defaults.getLong(name, LONG_DEFAULT_DEFAULT);
	}

	@Override
	public String getDefaultString(String name) {
		return defaults.get(name, STRING_DEFAULT_DEFAULT);
	}

	@Override
	public void putValue(String name, String value) {
		values.put(name, value);
		dirty = true;
	}

	@Override
	public void setDefault(String name, double value) {
		defaults.putDouble(name, value);
	}

	@Override
	public void setDefault(String name, float value) {
		defaults.putFloat(name, value);
	}

	@Override
	public void setDefault(String name, int value) {
		defaults.putInt(name, value);
	}

	@Override
	public void setDefault(String name, long value) {
		defaults.putLong(name, value);
	}

	@Override
	public void setDefault(String name, String defaultObject) {
		defaults.put(name, defaultObject);
	}

	@Override
	public void setDefault(String name, boolean value) {
		defaults.putBoolean(name, value);
	}

	@Override
	public void setToDefault(String name) {
		String old = values.get(name, null);
		values.remove(name);
		dirty = true;
		if (old != null) {
			firePropertyChangeEvent(name, old, getDefaultString(name));
		}
	}

	@Override
	public void setValue(String name, double value) {
		set(name, Double.toString(value));
	}

	@Override
	public void setValue(String name, float value) {
		set(name, Float.toString(value));
	}

	@Override
	public void setValue(String name, int value) {
		set(name, Integer.toString(value));
	}

	@Override
	public void setValue(String name, long value) {
		set(name, Long.toString(value));
	}

	@Override
	public void setValue(String name, String value) {
		set(name, value);
	}

	@Override
	public void setValue(String name, boolean value) {
		set(name, Boolean.toString(value));
	}

	private void set(String name, String value) {
		String old = getString(name);
		if (value.equals(old) && values.get(name, null) != null) {
			return;
		}
		values.put(name, value);
		dirty = true;
		if (!value.equals(old)) {
			firePropertyChangeEvent(name, old, value);
		}
	}
}
