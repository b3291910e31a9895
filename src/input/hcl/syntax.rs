//! Which syntax reader a configuration file goes to: JSON syntax for
//! `.tf.json` and `.tofu.json`, native syntax for the rest. The readers
//! depend on `decl` for the shape they fill; this dispatcher depends on
//! both, and nothing on it but the loader.

use super::decl::ModuleDecl;
use crate::error::InputError;
use crate::model::SourceId;
use crate::source::Source;

/// Adds the declarations of one file to `module`.
pub fn read_file(source: &Source, id: SourceId, module: &mut ModuleDecl) -> Result<(), InputError> {
    if source.name.ends_with(".json") {
        super::json_syntax::Json { source, id }.read(module)
    } else {
        super::native::Native { source, id }.read(module)
    }
}
