-- templates/pdf/un-document.lua — the page design of a UN document (A4), in the page's
-- language and direction. Runs in the template sandbox with `page`, `site` and the helpers
-- t(), date(), date_range(), number(), percent(), language_name(); returns the design table
-- the PDF engine reads (schema in README.md, "PDF page designs").
--
-- Lengths are points (1 cm = 28.35 pt). x is measured from the page's START edge (the left
-- edge on English pages, the right edge on Arabic ones: the engine mirrors), y from the top.
-- Functions get `p` = {number, count, odd, start, measure}: start and measure place the
-- text block on this page (inner and outer margins alternate on odd and even pages).

local P = page.params or {}
local lang = page.lang

-- Font families per language (fontconfig names); the engine tries them in order per character.
local stacks = {
  ar = { text = { "Amiri", "Liberation Serif" } },
  -- Latin letters in Liberation Serif (UMing's are typewriter-like); ideographs, CJK
  -- punctuation and the digits and quotes between them stay in the Chinese face.
  zh = { text = { "Liberation Serif", "AR PL UMing CN", "WenQuanYi Zen Hei" },
         heading = { "Liberation Serif", "WenQuanYi Zen Hei", "AR PL UMing CN" } },   -- 黑体 headings
  default = { text = { "Liberation Serif" } },
}
local fonts = stacks[lang] or stacks.default
fonts.mono = { "Liberation Mono", table.unpack(fonts.text) }

-- Amiri is small on its em and Chinese is set at 10.5 pt (五号); both need more leading.
local scale = ({ ar = 1.3, zh = 1.05 })[lang] or 1
local spacing = ({ ar = 1.5, zh = 1.6 })[lang] or 1.2
local cjk = lang == "zh"
-- Masthead lines: Amiri's marks need room even where body text is set tighter.
local mlead = ({ ar = 1.45, zh = 1.35 })[lang] or 1.2

local function s(size, t)
  t = t or {}
  t.size = size * scale
  t.leading = (t.leading or size * spacing) * scale
  return t
end

local M = { top = 72, bottom = 68, inner = 72, outer = 56.7 }
local W, H = 595.276, 841.89
local INDENT = 36 -- the text column: labels and numbers hang to its start

local design = {
  page = { width = W, height = H },
  margins = M,
  fonts = fonts,
  styles = {
    body = s(10, { justify = true, hyphenate = true, space_after = 6, indent = INDENT, label_gap = 6 }),
    heading1 = s(14, { bold = true, font = "heading", justify = false, hyphenate = false,
                       space_before = 12, space_after = 12, indent = INDENT }),
    heading2 = s(14, { bold = true, font = "heading", justify = false, hyphenate = false,
                       space_before = 18, space_after = 12, indent = INDENT, leading = 16.5 }),
    heading3 = s(12, { bold = true, font = "heading", justify = false, hyphenate = false,
                       space_before = 12, space_after = 6, indent = INDENT }),
    heading4 = s(10, { bold = true, font = "heading", justify = false, hyphenate = false,
                       space_before = 6, space_after = 6, indent = INDENT }),
    heading5 = s(10, { bold = true, italic = true, justify = false, hyphenate = false,
                       space_before = 6, space_after = 3, indent = INDENT }),
    heading6 = s(10, { italic = true, justify = false, hyphenate = false,
                       space_before = 6, space_after = 3, indent = INDENT }),
    footnote = s(8, { justify = true, hyphenate = true, indent = INDENT, space_after = 1,
                      leading = 9.5, label_gap = 2 }),
    list = s(10, { justify = true, hyphenate = true, indent = 18, space_after = 3, label_gap = 5 }),
    quote = s(9.5, { justify = true, hyphenate = true, indent = 24, indent_end = 24, space_after = 6 }),
    code = s(8.5, { font = "mono", justify = false, hyphenate = false, leading = 10.5,
                    space_before = 3, space_after = 6 }),
    table = s(9, { justify = false, hyphenate = false, space_before = 6, space_after = 9, leading = 11 }),
    table_header = s(9, { italic = true, justify = false, hyphenate = false, leading = 11 }),
    caption = s(10, { bold = true, justify = false, hyphenate = false, space_before = 6, space_after = 6 }),
  },
  footnote_rule = { length = 72, width = 0.5, gap = 8 },
  table_rules = { width = 0.5, padding = 3 },
  info = { author = P.body or t("masthead.united_nations"), subject = page.summary,
           keywords = P.symbol, creator = "wufpress" },
}

-- ---- helpers --------------------------------------------------------------------------------

-- The distribution block of Chinese, Arabic and Russian versions stays in English (UN usage):
-- their i18n files say so with a `version_language`.
local english = t("masthead.version_language") ~= "" and lang ~= "fr" and lang ~= "es"

-- "Nairobi, 26–28 May 2025"; the order is the language's (Chinese "2025年5月26日至28日，内罗毕").
local function session_line()
  local sd = P.session_dates
  local dates = sd and sd.from and date_range(sd.from, sd.to or sd.from)
  if not dates then return P.place end
  if not P.place then return dates end
  return t("masthead.session", { place = P.place, dates = dates })
end

local function add(list, item) if item then list[#list + 1] = item end end

-- ---- first page -----------------------------------------------------------------------------

-- The masthead of a document with a symbol: United Nations and the symbol, a thick rule, the
-- body and the distribution block, a thick rule, the meeting, the agenda item (its starred
-- note goes to the foot of the page), the title and subtitle.
local function masthead(p)
  local x0, x1 = p.start, p.start + p.measure
  local items = {}
  add(items, { text = t("masthead.united_nations"), x = x0, y = 40, width = 200, size = 14 * scale,
               leading = 22 })
  add(items, { text = P.symbol, x = x1 - 260, y = 36, width = 260, align = "end", size = 17,
               bold = true, leading = 26, lang = "en" })
  add(items, { rule = 2, x = x0, y = 64, width = p.measure })
  local top = 72
  add(items, { text = P.body, x = x0, y = top + 4, width = p.measure - 170, size = 13 * scale,
               bold = true, font = "heading", leading = 13 * scale * mlead })
  -- Distribution block, on the end side.
  local dist = {}
  dist[#dist + 1] = t("masthead.distribution")
  dist[#dist + 1] = date(P.date, "long", english and "en" or nil)
  local version = t("masthead.version_language")
  if version ~= "" then dist[#dist + 1] = "" ; dist[#dist + 1] = version end
  local original = P.original and t("masthead.original_languages")[P.original]
  if original then
    dist[#dist + 1] = ""
    dist[#dist + 1] = t("masthead.original", { language = original })
  end
  -- The block reads as English text does: from its left edge, on Arabic pages too.
  add(items, { text = table.concat(dist, "\n"), x = x1 - 140, y = top + 4, width = 140, size = 10,
               leading = 12, lang = english and "en" or nil,
               align = (english and page.dir == "rtl") and "end" or "start" })
  add(items, { rule = 2, gap = 8, x = x0, width = p.measure })
  -- The meeting.
  local left = p.measure * 0.55
  add(items, { text = P.organ, gap = 8, x = x0, width = left, bold = true, font = "heading", size = 10 * scale, leading = 10 * scale * mlead })
  add(items, { text = P.meeting, x = x0, width = left, size = 10 * scale, leading = 10 * scale * mlead })
  add(items, { text = session_line(), x = x0, width = left, size = 10 * scale, leading = 10 * scale * mlead })
  if P.agenda_item then
    add(items, { text = t("masthead.agenda_item", { number = P.agenda_item.number }), x = x0,
                 width = left, size = 10 * scale, leading = 10 * scale * mlead })
    add(items, { text = P.agenda_item.title, x = x0, width = left, bold = true, font = "heading", size = 10 * scale,
                 leading = 10 * scale * mlead })
    if P.agenda_item.footnote then add(items, { note = P.agenda_item.footnote, mark = "*" }) end
  end
  add(items, { text = page.title, gap = 18, x = x0 + INDENT, width = p.measure - 2 * INDENT,
               bold = true, font = "heading", size = 14 * scale, leading = 14 * scale * mlead })
  add(items, { text = page.subtitle, gap = 8, x = x0 + INDENT, width = p.measure - 2 * INDENT,
               bold = true, font = "heading", size = 12 * scale, leading = 12 * scale * mlead })
  add(items, { gap = 18 })
  return items
end

-- A document without a symbol: a plain title block.
local function title_block(p)
  local x0 = p.start
  local items = {}
  add(items, { text = t("masthead.united_nations"), x = x0, y = 40, width = p.measure, size = 12 * scale,
               leading = 16 * scale })
  add(items, { rule = 1, x = x0, y = 60, width = p.measure })
  add(items, { text = page.title, gap = 24, x = x0 + INDENT, width = p.measure - 2 * INDENT, bold = true,
               font = "heading", size = 16 * scale, leading = 20 * scale })
  add(items, { text = page.subtitle, gap = 8, x = x0 + INDENT, width = p.measure - 2 * INDENT,
               italic = true, size = 12 * scale, leading = 15 * scale })
  add(items, { text = P.date and date(P.date), gap = 6, x = x0 + INDENT, width = p.measure - 2 * INDENT,
               size = 10 * scale, leading = 13 * scale })
  add(items, { gap = 24 })
  return items
end

function design.first_page(p)
  if P.symbol then return masthead(p) end
  return title_block(p)
end

-- ---- running header and footer ---------------------------------------------------------------

-- The outer side alternates: the end side of odd pages, the start side of even ones.
local function outer(p, width, item)
  item.width = width
  item.x = p.odd and (p.start + p.measure - width) or p.start
  item.align = p.odd and "end" or "start"
  return item
end

function design.header(p)
  if p.number == 1 then return {} end
  local h = P.symbol and { text = P.symbol, bold = true, size = 9, leading = 11, lang = "en" }
    or { text = page.title, italic = true, size = 8 * scale, leading = 10 * scale }
  return { outer(p, p.measure * 0.75, (function() h.y = 40; return h end)()),
           { rule = 0.5, x = p.start, y = 40 + h.leading + 2, width = p.measure } }
end

function design.footer(p)
  local items = {}
  if p.number == 1 then
    if P.job_number then
      add(items, { text = P.job_number, x = p.start, y = H - 44, width = 150, size = 8, leading = 10,
                   lang = "en" })
    end
    return items
  end
  add(items, outer(p, 80, { text = p.number .. "/" .. p.count, y = H - 44, size = 8, leading = 10,
                            lang = "en" }))
  return items
end

return design
