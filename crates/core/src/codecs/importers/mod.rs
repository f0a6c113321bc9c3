//! Importers from attribute label files of public datasets into the model (and so ATTR_JSON).
