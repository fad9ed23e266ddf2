//! Encryption with AES-256 (PDF 2.0, security handler revision 6) and user and owner passwords
//! and permissions; decryption is opening with the password and writing the file plain.

use std::collections::BTreeMap;
use std::sync::Arc;

use lopdf::Document;
use lopdf::encryption::crypt_filters::{Aes256CryptFilter, CryptFilter};
use lopdf::encryption::{EncryptionState, EncryptionVersion, Permissions};

use crate::error::PdfError;

/// The permissions by the names requests use.
pub const PERMISSIONS: [(&str, Permissions); 8] = [
    ("print", Permissions::PRINTABLE),
    ("printHighQuality", Permissions::PRINTABLE_IN_HIGH_QUALITY),
    ("modify", Permissions::MODIFIABLE),
    ("copy", Permissions::COPYABLE),
    ("annotate", Permissions::ANNOTABLE),
    ("fillForms", Permissions::FILLABLE),
    ("accessibility", Permissions::COPYABLE_FOR_ACCESSIBILITY),
    ("assemble", Permissions::ASSEMBLABLE),
];

/// Permissions from their names (`print`, `copy`, …); `None` allows everything.
pub fn permissions(names: Option<&[String]>) -> Result<Permissions, PdfError> {
    let Some(names) = names else {
        return Ok(Permissions::all());
    };
    let mut p = Permissions::empty();
    for (i, n) in names.iter().enumerate() {
        let Some((_, bit)) = PERMISSIONS.iter().find(|(k, _)| k.eq_ignore_ascii_case(n)) else {
            let all: Vec<&str> = PERMISSIONS.iter().map(|(k, _)| *k).collect();
            return Err(PdfError::invalid(
                format!("permissions[{i}]"),
                format!(
                    "unknown permission {n:?}; expected any of {}",
                    all.join(", ")
                ),
            ));
        };
        p |= *bit;
    }
    // Assistive technology may always read the text (PDF 2.0 requires the bit set).
    Ok(p | Permissions::COPYABLE_FOR_ACCESSIBILITY)
}

/// The names of the permissions `p` grants.
pub fn permission_names(p: Permissions) -> Vec<&'static str> {
    PERMISSIONS
        .iter()
        .filter(|(_, bit)| p.contains(*bit))
        .map(|(k, _)| *k)
        .collect()
}

/// Encrypt `doc` (already compressed: its streams are encrypted as they are) with AES-256.
pub fn encrypt(
    doc: &mut Document,
    user_password: &str,
    owner_password: &str,
    permissions: Permissions,
) -> Result<(), PdfError> {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key)
        .map_err(|e| PdfError::internal("body", format!("no random key: {e}")))?;
    let filter: Arc<dyn CryptFilter> = Arc::new(Aes256CryptFilter);
    let version = EncryptionVersion::V5 {
        encrypt_metadata: true,
        crypt_filters: BTreeMap::from([(b"StdCF".to_vec(), filter)]),
        file_encryption_key: &key,
        stream_filter: b"StdCF".to_vec(),
        string_filter: b"StdCF".to_vec(),
        owner_password,
        user_password,
        permissions,
    };
    let state = EncryptionState::try_from(version).map_err(|e| {
        PdfError::invalid("password", format!("cannot be used for encryption: {e}"))
    })?;
    doc.encrypt(&state)
        .map_err(|e| PdfError::internal("body", format!("encryption failed: {e}")))
}

/// The document tidied, encrypted and written.
pub fn encrypted(
    doc: &mut Document,
    user_password: &str,
    owner_password: &str,
    permissions: Permissions,
) -> Result<Vec<u8>, PdfError> {
    crate::document::tidy(doc);
    encrypt(doc, user_password, owner_password, permissions)?;
    crate::document::write(doc)
}
