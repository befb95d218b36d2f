/* The font files the text layer's tests use, where Debian 12's packages put them (tools/deps.sh
 * installs them with the check set): fonts-liberation2, fonts-noto-core, fonts-noto-cjk. Named
 * by path, not found through fontconfig, so that hb-shape and the code under test read the same
 * file whatever else is installed. */
#ifndef HANDOUT_SHAPE_FONTS_H
#define HANDOUT_SHAPE_FONTS_H

#define FONT_LIBERATION "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"
#define FONT_NOTO_DIR "/usr/share/fonts/truetype/noto/"
#define FONT_ARABIC FONT_NOTO_DIR "NotoSansArabic-Regular.ttf"
#define FONT_DEVANAGARI FONT_NOTO_DIR "NotoSansDevanagari-Regular.ttf"
#define FONT_THAI FONT_NOTO_DIR "NotoSansThai-Regular.ttf"
#define FONT_KHMER FONT_NOTO_DIR "NotoSansKhmer-Regular.ttf"
#define FONT_MYANMAR FONT_NOTO_DIR "NotoSansMyanmar-Regular.ttf"
/* CFF outlines in a collection: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK (fc-scan lists them) */
#define FONT_CJK "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
enum { CJK_JP = 0, CJK_KR = 1, CJK_SC = 2, CJK_TC = 3 };

#endif
