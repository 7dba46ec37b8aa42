//! The errors of a file as a sortable table (line, field, code, message), downloadable as CSV.

use leptos::prelude::*;

use crate::i18n;
use crate::worker::FileError;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Column {
    Line,
    Field,
    Code,
    Message,
}

/// Where an error is: `ligne:colonne` in a file; the line alone in a spreadsheet (whose column
/// is named in the next cell); nothing for the order's header, which is not in the sheet.
fn place(e: &FileError) -> String {
    match (e.line, e.column) {
        (0, _) => "—".into(),
        (line, 0) => line.to_string(),
        (line, column) => format!("{line}:{column}"),
    }
}

fn sort(errors: &mut [FileError], column: Column, ascending: bool) {
    errors.sort_by(|a, b| {
        let order = match column {
            Column::Line => (a.line, a.column).cmp(&(b.line, b.column)),
            Column::Field => a.path.cmp(&b.path),
            Column::Code => a.code.cmp(&b.code),
            Column::Message => a.message.cmp(&b.message),
        };
        if ascending {
            order
        } else {
            order.reverse()
        }
    });
}

/// CSV as French Excel reads it: `;` separators, quoted fields, a BOM for UTF-8.
pub fn to_csv(errors: &[FileError]) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut csv = String::from("\u{feff}ligne;colonne;champ;code;gravité;message\r\n");
    for e in errors {
        let severity = if e.severity == "warning" {
            "avertissement"
        } else {
            "erreur"
        };
        csv.push_str(&format!(
            "{};{};{};{};{};{}\r\n",
            e.line,
            e.column,
            quote(&e.path),
            quote(&e.code),
            severity,
            quote(&e.message)
        ));
    }
    csv
}

#[component]
pub fn ErrorTable(errors: Vec<FileError>, file_name: String) -> impl IntoView {
    let sorting = RwSignal::new((Column::Line, true));
    let all = errors.clone();
    let rows = move || {
        let mut list = errors.clone();
        let (column, ascending) = sorting.get();
        sort(&mut list, column, ascending);
        list
    };
    let header = move |column: Column, label: &'static str| {
        let aria = move || match sorting.get() {
            (c, true) if c == column => "ascending",
            (c, false) if c == column => "descending",
            _ => "none",
        };
        view! {
            <th scope="col" aria-sort=aria>
                <button type="button" class="tri" on:click=move |_| sorting.update(|(c, asc)| {
                    if *c == column { *asc = !*asc } else { *c = column; *asc = true }
                })>{label}</button>
            </th>
        }
    };
    let csv_name = format!("erreurs-{}.csv", file_name.trim_end_matches(".xml"));
    view! {
        <p>
            <button type="button" on:click=move |_| crate::util::download(&csv_name, &to_csv(&all), "text/csv;charset=utf-8")>{i18n::DOWNLOAD_CSV}</button>
        </p>
        <table class="erreurs empilable">
            <caption>{i18n::ERRORS_CAPTION}</caption>
            <thead><tr>
                {header(Column::Line, i18n::COL_LINE)}
                {header(Column::Field, i18n::COL_FIELD)}
                {header(Column::Code, i18n::COL_CODE)}
                {header(Column::Message, i18n::COL_MESSAGE)}
            </tr></thead>
            <tbody>
                {move || rows().into_iter().map(|e| view! {
                    <tr class=if e.severity == "warning" { "avertissement" } else { "" }>
                        <td data-label=i18n::COL_LINE>{place(&e)}</td>
                        <td data-label=i18n::COL_FIELD><code>{e.path}</code></td>
                        <td data-label=i18n::COL_CODE><code>{e.code}</code></td>
                        <td data-label=i18n::COL_MESSAGE>{e.message}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
