//! The analyst's instruments, as pure logic (no GUI types): geodesic measures on the WGS84
//! ellipsoid, where a point lies against the Kyrgyz–Tajik line, coordinates in the forms
//! analysts type and copy (decimal, degrees-minutes-seconds, MGRS), and the offline place
//! search in Latin and Cyrillic. The window's tools (`ui::tools`) and the command line
//! (`--center`) use them.

pub mod border;
pub mod coords;
pub mod gazetteer;
pub mod geodesy;
pub mod measure;
pub mod search;
