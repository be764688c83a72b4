//! [`Theme`]: every style the screens use, loaded from `assets/theme.toml` (embedded), plus a
//! monochrome [`Theme::no_color`] for `NO_COLOR` that uses only bold, dim, reversed and
//! underline. The runtime decides which one to pass to `render`.

use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

/// The default skin, embedded in the binary.
pub const DEFAULT_THEME: &str = include_str!("../../assets/theme.toml");

macro_rules! theme {
    ($( $(#[$doc:meta])* $field:ident ),* $(,)?) => {
        /// Every style the screens use.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        pub struct Theme {
            $( $(#[$doc])* pub $field: Style, )*
        }

        impl Theme {
            /// The style names a theme file may set.
            pub const NAMES: &'static [&'static str] = &[$( stringify!($field) ),*];

            fn slot(&mut self, name: &str) -> Option<&mut Style> {
                match name {
                    $( stringify!($field) => Some(&mut self.$field), )*
                    _ => None,
                }
            }
        }
    };
}

theme!(
    /// The header line's background.
    title_bar,
    /// "apim-dr" in the header.
    title,
    /// The context label ("Azure", "demo emulator").
    context,
    /// The READ-ONLY badge.
    read_only,
    /// The live-operations count.
    live,
    /// Breadcrumbs before the last.
    crumb,
    /// The last breadcrumb.
    crumb_current,
    /// Pane borders.
    border,
    /// The focused pane's border.
    border_focused,
    /// Pane titles.
    pane_title,
    /// The focused pane's title.
    pane_title_focused,
    /// Table header rows.
    table_header,
    /// The selected row.
    selected,
    /// Ordinary text.
    text,
    /// Greyed rows: refused, expired, not selectable.
    muted,
    /// ✔ and good news.
    ok,
    /// ⚠ and things to read.
    warn,
    /// ✖ and failures.
    error,
    /// Keys in hints and help.
    key,
    /// Keys of dangerous actions.
    key_danger,
    /// Hint and help descriptions.
    hint,
    /// Info flash.
    flash_info,
    /// Warning flash.
    flash_warn,
    /// Error flash.
    flash_error,
    /// Finished wizard steps.
    step_done,
    /// The current wizard step.
    step_current,
    /// Wizard steps to come.
    step_todo,
    /// Typed text.
    input,
    /// Group headings (storage account / container).
    group,
    /// Destructive warnings and the confirm dialog.
    danger,
    /// Names inside sentences.
    accent,
);

/// A theme file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{source_name}: {problem}")]
pub struct ThemeError {
    /// The file.
    pub source_name: String,
    /// What is wrong.
    pub problem: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    #[serde(default)]
    styles: std::collections::BTreeMap<String, StyleSpec>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
#[allow(clippy::struct_excessive_bools)] // mirrors the file format: one flag per modifier
struct StyleSpec {
    fg: Option<String>,
    bg: Option<String>,
    #[serde(default)]
    bold: bool,
    #[serde(default)]
    dim: bool,
    #[serde(default)]
    italic: bool,
    #[serde(default)]
    reversed: bool,
    #[serde(default)]
    underlined: bool,
}

impl Theme {
    /// The embedded default skin. A unit test proves it parses; were it ever broken, this
    /// falls back to [`Theme::no_color`] rather than panicking.
    pub fn default_embedded() -> Self {
        Self::default()
            .overlay(DEFAULT_THEME, "built-in theme")
            .unwrap_or_else(|_| Self::no_color())
    }

    /// The default skin with a user theme file laid over it: each style the file names
    /// replaces the default one; the others stay.
    ///
    /// # Errors
    /// [`ThemeError`] for TOML errors, unknown style names and unknown colours.
    pub fn from_toml(text: &str, source_name: &str) -> Result<Self, ThemeError> {
        Self::default_embedded().overlay(text, source_name)
    }

    /// This theme with the styles `text` names replaced.
    ///
    /// # Errors
    /// As [`Theme::from_toml`].
    pub fn overlay(mut self, text: &str, source_name: &str) -> Result<Self, ThemeError> {
        let err = |problem: String| ThemeError {
            source_name: source_name.to_owned(),
            problem,
        };
        let file: ThemeFile = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        let theme = &mut self;
        for (name, spec) in file.styles {
            let style = spec_style(&spec).map_err(&err)?;
            let slot = theme.slot(&name).ok_or_else(|| {
                err(format!(
                    "unknown style '{name}'; known styles: {}",
                    Self::NAMES.join(", ")
                ))
            })?;
            *slot = style;
        }
        Ok(self)
    }

    /// Monochrome: bold, dim, reversed and underline only (for `NO_COLOR`).
    pub fn no_color() -> Self {
        let m = |m: Modifier| Style::new().add_modifier(m);
        Self {
            title_bar: m(Modifier::REVERSED),
            title: m(Modifier::REVERSED | Modifier::BOLD),
            context: m(Modifier::REVERSED),
            read_only: m(Modifier::BOLD),
            live: m(Modifier::REVERSED | Modifier::BOLD),
            crumb: Style::new(),
            crumb_current: m(Modifier::BOLD),
            border: m(Modifier::DIM),
            border_focused: m(Modifier::BOLD),
            pane_title: Style::new(),
            pane_title_focused: m(Modifier::BOLD),
            table_header: m(Modifier::BOLD | Modifier::UNDERLINED),
            selected: m(Modifier::REVERSED | Modifier::BOLD),
            text: Style::new(),
            muted: m(Modifier::DIM),
            ok: Style::new(),
            warn: m(Modifier::BOLD),
            error: m(Modifier::BOLD),
            key: m(Modifier::BOLD),
            key_danger: m(Modifier::BOLD | Modifier::UNDERLINED),
            hint: Style::new(),
            flash_info: Style::new(),
            flash_warn: m(Modifier::BOLD),
            flash_error: m(Modifier::BOLD | Modifier::REVERSED),
            step_done: Style::new(),
            step_current: m(Modifier::REVERSED | Modifier::BOLD),
            step_todo: m(Modifier::DIM),
            input: m(Modifier::BOLD | Modifier::UNDERLINED),
            group: m(Modifier::BOLD),
            danger: m(Modifier::BOLD),
            accent: m(Modifier::BOLD),
        }
    }
}

fn spec_style(spec: &StyleSpec) -> Result<Style, String> {
    let colour = |c: &Option<String>| -> Result<Option<Color>, String> {
        c.as_deref()
            .map(|c| Color::from_str(c).map_err(|_unknown| format!("unknown colour '{c}'")))
            .transpose()
    };
    let mut style = Style::new();
    if let Some(fg) = colour(&spec.fg)? {
        style = style.fg(fg);
    }
    if let Some(bg) = colour(&spec.bg)? {
        style = style.bg(bg);
    }
    for (on, m) in [
        (spec.bold, Modifier::BOLD),
        (spec.dim, Modifier::DIM),
        (spec.italic, Modifier::ITALIC),
        (spec.reversed, Modifier::REVERSED),
        (spec.underlined, Modifier::UNDERLINED),
    ] {
        if on {
            style = style.add_modifier(m);
        }
    }
    Ok(style)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_theme_sets_every_style() {
        let text: toml::Table = toml::from_str(DEFAULT_THEME).unwrap();
        let styles = text["styles"].as_table().unwrap();
        for name in Theme::NAMES {
            assert!(styles.contains_key(*name), "theme.toml lacks {name}");
        }
        let theme = Theme::default()
            .overlay(DEFAULT_THEME, "built-in theme")
            .unwrap();
        assert_eq!(theme.key_danger.fg, Some(Color::Red));
        assert_eq!(theme, Theme::default_embedded());
        let user = Theme::from_toml("[styles]\nselected = { reversed = true }", "t.toml").unwrap();
        assert_eq!(user.selected, Style::new().add_modifier(Modifier::REVERSED));
        assert_eq!(
            user.key_danger, theme.key_danger,
            "styles the file does not name stay"
        );
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        let e = Theme::from_toml("[styles]\nselcted = { fg = \"red\" }", "t.toml").unwrap_err();
        assert!(e.to_string().starts_with("t.toml: unknown style 'selcted'"));
        let e = Theme::from_toml("[styles]\nselected = { fg = \"redish\" }", "t.toml").unwrap_err();
        assert_eq!(e.to_string(), "t.toml: unknown colour 'redish'");
    }

    #[test]
    fn no_color_uses_no_colour() {
        let t = Theme::no_color();
        for style in [t.selected, t.error, t.key_danger, t.title_bar, t.muted] {
            assert_eq!((style.fg, style.bg), (None, None));
        }
    }
}
