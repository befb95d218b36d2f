# tests/tools/de2000.awk -- written for tests/pdfx.sh from the published formula (no code copied).
# de2000: CIEDE2000 colour difference (Sharma, Wu, Dalal 2005) of two Lab colours, one pair a line:
# "L1 a1 b1 L2 a2 b2" -> the difference, %.2f
function atan2d(y, x,  h) { if (x == 0 && y == 0) return 0; h = atan2(y, x) * 180 / PI; return h < 0 ? h + 360 : h }
function de(L1, a1, b1, L2, a2, b2,   C1, C2, Cb, G, a1p, a2p, C1p, C2p, h1p, h2p, dLp, dCp, dhp, dHp, Lbp, Cbp, hbp, T, dth, RC, SL, SC, SH, RT, x) {
    C1 = sqrt(a1 * a1 + b1 * b1); C2 = sqrt(a2 * a2 + b2 * b2); Cb = (C1 + C2) / 2
    x = Cb ^ 7; G = 0.5 * (1 - sqrt(x / (x + 25 ^ 7)))
    a1p = (1 + G) * a1; a2p = (1 + G) * a2
    C1p = sqrt(a1p * a1p + b1 * b1); C2p = sqrt(a2p * a2p + b2 * b2)
    h1p = atan2d(b1, a1p); h2p = atan2d(b2, a2p)
    dLp = L2 - L1; dCp = C2p - C1p
    if (C1p * C2p == 0) dhp = 0
    else if (h2p - h1p > 180) dhp = h2p - h1p - 360
    else if (h2p - h1p < -180) dhp = h2p - h1p + 360
    else dhp = h2p - h1p
    dHp = 2 * sqrt(C1p * C2p) * sin(dhp / 2 * PI / 180)
    Lbp = (L1 + L2) / 2; Cbp = (C1p + C2p) / 2
    if (C1p * C2p == 0) hbp = h1p + h2p
    else if ((h1p - h2p) > 180 || (h2p - h1p) > 180) hbp = (h1p + h2p + (h1p + h2p < 360 ? 360 : -360)) / 2
    else hbp = (h1p + h2p) / 2
    T = 1 - 0.17 * cos((hbp - 30) * PI / 180) + 0.24 * cos(2 * hbp * PI / 180) + 0.32 * cos((3 * hbp + 6) * PI / 180) - 0.20 * cos((4 * hbp - 63) * PI / 180)
    dth = 30 * exp(-(((hbp - 275) / 25) ^ 2))
    x = Cbp ^ 7; RC = 2 * sqrt(x / (x + 25 ^ 7))
    SL = 1 + 0.015 * (Lbp - 50) ^ 2 / sqrt(20 + (Lbp - 50) ^ 2)
    SC = 1 + 0.045 * Cbp; SH = 1 + 0.015 * Cbp * T
    RT = -sin(2 * dth * PI / 180) * RC
    return sqrt((dLp / SL) ^ 2 + (dCp / SC) ^ 2 + (dHp / SH) ^ 2 + RT * (dCp / SC) * (dHp / SH))
}
BEGIN { PI = atan2(0, -1) }
NF == 6 { printf "%.2f\n", de($1, $2, $3, $4, $5, $6) }
