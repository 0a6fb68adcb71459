//! Flowing content over pages: paragraphs line by line, tables row by row with their
//! header repeated on every page, then a footer on each page once the page count is
//! known (« page N / M »).

use super::layout::{wrap, Align, Colour, Font, Page};

/// The area content may use on every page.
#[derive(Debug, Clone, Copy)]
pub struct Frame {
    pub left: f32,
    pub right: f32,
    pub top: f32,
    pub bottom: f32,
}

/// What is drawn under the content of every page.
type Background = Box<dyn Fn(&mut Page) + Sync + Send>;

/// A document being laid out from top to bottom.
pub struct Flow {
    pages: Vec<Page>,
    /// Where the next content starts (its top).
    pub y: f32,
    frame: Frame,
    size: (f32, f32),
    /// Drawn first on every new page (the PROVISOIRE mark).
    background: Option<Background>,
}

/// A table column: its title, its share of the width, how its cells align.
pub struct Column {
    pub title: String,
    pub weight: f32,
    pub align: Align,
}

pub struct Cell {
    pub text: String,
    pub font: Font,
}

pub struct Row {
    pub cells: Vec<Cell>,
    pub fill: Option<Colour>,
    /// Never leave this row alone at the bottom of a page (a group heading).
    pub keep_with_next: bool,
}

impl Column {
    /// A column whose cells align left.
    pub fn left(title: String, weight: f32) -> Column {
        Column {
            title,
            weight,
            align: Align::Left,
        }
    }
}

impl Cell {
    pub fn new(text: impl Into<String>, font: Font) -> Cell {
        Cell {
            text: text.into(),
            font,
        }
    }
}

impl Row {
    /// A row with no fill, free to end a page.
    pub fn plain(cells: Vec<Cell>) -> Row {
        Row {
            cells,
            fill: None,
            keep_with_next: false,
        }
    }
}

pub struct TableStyle {
    pub header: Font,
    pub header_fill: Colour,
    pub rule: Colour,
    pub padding: f32,
}

impl Flow {
    pub fn new(width: f32, height: f32, frame: Frame) -> Flow {
        Flow {
            pages: vec![Page::new(width, height)],
            y: frame.top,
            frame,
            size: (width, height),
            background: None,
        }
    }

    /// Something drawn under the content of every page, this one included.
    pub fn set_background(&mut self, draw: impl Fn(&mut Page) + Sync + Send + 'static) {
        for page in &mut self.pages {
            draw(page);
        }
        self.background = Some(Box::new(draw));
    }

    pub fn page(&mut self) -> &mut Page {
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    pub fn left(&self) -> f32 {
        self.frame.left
    }

    pub fn width(&self) -> f32 {
        self.frame.right - self.frame.left
    }

    pub fn new_page(&mut self) {
        let mut page = Page::new(self.size.0, self.size.1);
        if let Some(draw) = &self.background {
            draw(&mut page);
        }
        self.pages.push(page);
        self.y = self.frame.top;
    }

    /// Starts a new page unless `height` still fits on this one (or the page is empty).
    pub fn ensure(&mut self, height: f32) {
        if self.y - height < self.frame.bottom && self.y < self.frame.top {
            self.new_page();
        }
    }

    pub fn space(&mut self, height: f32) {
        self.y -= height;
    }

    /// A paragraph wrapped to the frame (less `indent`), flowing line by line.
    pub fn paragraph(&mut self, text: &str, font: Font, align: Align, indent: f32) {
        let (x, width) = (self.left() + indent, self.width() - indent);
        for line in wrap(text, font.face, font.size, width) {
            self.ensure(font.leading());
            let y = self.y;
            self.page()
                .lines(x, width, y, font, align, std::slice::from_ref(&line));
            self.y -= font.leading();
        }
    }

    /// A list item: a dash, then the text wrapped with a hanging indent.
    pub fn bullet(&mut self, text: &str, font: Font) {
        let indent = font.size * 1.2;
        let (x, width) = (self.left() + indent, self.width() - indent);
        for (i, line) in wrap(text, font.face, font.size, width)
            .into_iter()
            .enumerate()
        {
            self.ensure(font.leading());
            let (left, y) = (self.left(), self.y);
            if i == 0 {
                self.page()
                    .lines(left, indent, y, font, Align::Left, &["–".to_string()]);
            }
            self.page()
                .lines(x, width, y, font, Align::Left, std::slice::from_ref(&line));
            self.y -= font.leading();
        }
    }

    /// A section heading with a rule under it, kept with `following` points of content.
    pub fn heading(&mut self, text: &str, font: Font, rule: Colour, following: f32) {
        self.space(font.size * 0.6);
        self.ensure(font.leading() + 4.0 + following);
        let (x, width, y) = (self.left(), self.width(), self.y);
        let bottom = self
            .page()
            .lines(x, width, y, font, Align::Left, &[text.to_string()]);
        self.page()
            .line((x, bottom + 1.0), (x + width, bottom + 1.0), 0.6, rule);
        self.y = bottom - 4.0;
    }

    /// A table flowing over pages, its header repeated at the top of each.
    pub fn table(&mut self, columns: &[Column], style: &TableStyle, rows: &[Row]) {
        let widths = column_widths(columns, rows, style, self.width());
        let header = Row {
            cells: columns
                .iter()
                .map(|c| Cell {
                    text: c.title.clone(),
                    font: style.header,
                })
                .collect(),
            fill: Some(style.header_fill),
            keep_with_next: true,
        };
        let header_laid = self.lay_row(&header, &widths, style.padding, f32::INFINITY);
        let room = self.frame.top - self.frame.bottom - header_laid.height;
        let laid: Vec<LaidRow> = rows
            .iter()
            .map(|r| self.lay_row(r, &widths, style.padding, room))
            .collect();
        let first = laid.first().map_or(0.0, |r| r.height);
        self.ensure(header_laid.height + first);
        self.draw_row(&header_laid, &header, columns, &widths, style, 1.0);
        for (i, (row, l)) in rows.iter().zip(&laid).enumerate() {
            let next = match laid.get(i + 1) {
                Some(n) if row.keep_with_next => n.height,
                _ => 0.0,
            };
            // A page holding only the header keeps its row, even one that fills it.
            let only_header = self.y >= self.frame.top - header_laid.height - 0.01;
            if self.y - l.height - next < self.frame.bottom && !only_header {
                self.new_page();
                self.draw_row(&header_laid, &header, columns, &widths, style, 1.0);
            }
            self.draw_row(l, row, columns, &widths, style, 0.4);
        }
    }

    fn lay_row(&self, row: &Row, widths: &[f32], padding: f32, room: f32) -> LaidRow {
        let mut cells = Vec::new();
        let mut height: f32 = 0.0;
        for (cell, width) in row.cells.iter().zip(widths) {
            let font = cell.font;
            let mut lines = wrap(&cell.text, font.face, font.size, width - 2.0 * padding);
            let fits = (((room - 2.0 * padding) / font.leading()).floor() as usize).max(1);
            if lines.len() > fits {
                lines.truncate(fits);
                if let Some(last) = lines.last_mut() {
                    last.push('…');
                }
            }
            height = height.max(lines.len() as f32 * font.leading() + 2.0 * padding);
            cells.push(lines);
        }
        LaidRow { cells, height }
    }

    fn draw_row(
        &mut self,
        laid: &LaidRow,
        row: &Row,
        columns: &[Column],
        widths: &[f32],
        style: &TableStyle,
        rule: f32,
    ) {
        let (left, total, top) = (self.left(), self.width(), self.y);
        let page = self.page();
        if let Some(fill) = row.fill {
            page.rect(
                left,
                top - laid.height,
                total,
                laid.height,
                Some(fill),
                None,
            );
        }
        let mut x = left;
        for (((lines, cell), width), column) in
            laid.cells.iter().zip(&row.cells).zip(widths).zip(columns)
        {
            let inner = width - 2.0 * style.padding;
            page.lines(
                x + style.padding,
                inner,
                top - style.padding,
                cell.font,
                column.align,
                lines,
            );
            x += width;
        }
        let bottom = top - laid.height;
        page.line((left, bottom), (left + total, bottom), rule, style.rule);
        self.y = bottom;
    }

    /// The pages, each given its footer once their number is known: `footer` draws it on
    /// the page from its number (from 1) and the page count.
    pub fn finish<E>(
        mut self,
        footer: impl Fn(&mut Page, usize, usize) -> Result<(), E>,
    ) -> Result<Vec<Page>, E> {
        let total = self.pages.len();
        for (i, page) in self.pages.iter_mut().enumerate() {
            footer(page, i + 1, total)?;
        }
        Ok(self.pages)
    }
}

/// Column widths from their weights, widened where a word of a cell (an id, a date) would
/// otherwise be cut, at the expense of the columns that have room to spare.
fn column_widths(columns: &[Column], rows: &[Row], style: &TableStyle, total: f32) -> Vec<f32> {
    let weights: f32 = columns.iter().map(|c| c.weight).sum::<f32>().max(0.01);
    let mut widths: Vec<f32> = columns.iter().map(|c| c.weight / weights * total).collect();
    let needs: Vec<f32> = (0..columns.len())
        .map(|i| {
            let longest = rows
                .iter()
                .filter_map(|r| r.cells.get(i))
                .flat_map(|c| {
                    c.text
                        .split([' ', '\n'])
                        .map(move |w| super::font::width(c.font.face, c.font.size, w))
                })
                .fold(0.0, f32::max);
            (longest + 2.0 * style.padding + 0.5).min(total * 0.35)
        })
        .collect();
    let deficit: f32 = widths
        .iter()
        .zip(&needs)
        .map(|(w, n)| (n - w).max(0.0))
        .sum();
    let spare: f32 = widths
        .iter()
        .zip(&needs)
        .map(|(w, n)| (w - n).max(0.0))
        .sum();
    if deficit <= 0.0 || spare <= deficit {
        return widths;
    }
    for (w, n) in widths.iter_mut().zip(&needs) {
        if *n > *w {
            *w = *n;
        } else {
            *w -= (*w - n) / spare * deficit;
        }
    }
    widths
}

struct LaidRow {
    cells: Vec<Vec<String>>,
    height: f32,
}
