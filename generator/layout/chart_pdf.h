/* layout/chart_pdf — a ```chart block in the PDF: the parsed wp_chart (chart.h, the same data
 * the site's SVG is drawn from) typeset into ONE strip of the flow, so pagination never splits
 * it and its title, units, caption and source stay with the drawing.
 *
 * The layout follows chart_svg.c (legend, gridlines, ticks, value labels, the same value
 * scale and the colours of charts.css) at the width of the text measure. Bars, lines,
 * markers and donut slices are vectors: a wp_drawing (pdf.h) carried by one image op, drawn
 * under the text. Every label is a wp_para in the page's language and font stack (shaped,
 * extractable) placed by a text op; numbers come from format.h as on the web page. Positions
 * are direction-free like every op of the flow: for a right-to-left page the composer mirrors
 * the text ops and the drawing's box, and the drawing mirrors itself inside the box, so the
 * categories read right to left and the value axis stands on the right.
 *
 * Private to the flow (it adds strips, ops, paragraphs and images through flow_impl.h). */
#ifndef WP_LAYOUT_CHART_PDF_H
#define WP_LAYOUT_CHART_PDF_H

#include "chart.h"
#include "layout/flow_impl.h"

/* Typesets ch at start offset x, `measure` wide, with the sizes of caption style st (the
 * title in st itself). Adds the block's space before and after. */
void fl_chart(fl_ctx *c, const wp_chart *ch, const wp_dstyle *st, double x, double measure);

#endif
