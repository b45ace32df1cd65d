"""Sentences of the memo's "What moves the answer" section (issue 15), in Korean and English; merged into
`re300.report.text.TEXT`."""
from __future__ import annotations

# No U+2212 (minus sign) in these texts: NanumGothic has no glyph for it; use "-".
SENSITIVITY_TEXT: dict[str, dict[str, str]] = {
    "h_sensitivity": {"en": "What moves the answer", "ko": "결과를 움직이는 요인"},
    "tornado_intro": {
        "en": "One input at a time at the low and high ends of its sourced range (inputs/ranges.csv; sweep `{sweep}`, "
              "`make sweep SWEEP={sweep}`): the {n} drivers ranked by the larger relative change of the total system "
              "cost and of the renewable share delivered (tornado_ranking.csv).",
        "ko": "입력 하나씩 출처가 있는 범위의 하한·상한으로 바꾼 결과(inputs/ranges.csv; 스윕 `{sweep}`, `make sweep SWEEP={sweep}`): "
              "총 시스템 비용과 달성 재생에너지 배율의 상대 변화 중 큰 값으로 순위를 매긴 {n}개 요인(tornado_ranking.csv)."},
    "tornado_none": {
        "en": "The tornado is not computed for this run: `make sweep SWEEP=sensitivity` runs every range of "
              "inputs/ranges.csv one at a time, and the memo then shows it here.",
        "ko": "이 실행에 대한 토네이도 분석은 계산되지 않음: `make sweep SWEEP=sensitivity`로 inputs/ranges.csv의 범위를 하나씩 "
              "계산하면 여기에 표시됨."},
    "tornado_caption": {
        "en": "Change from the central case at the low / high end of each range: total system cost (trillion KRW/yr) and "
              "renewable share delivered (× consumption). Ranks 1-10.",
        "ko": "각 범위의 하한 / 상한에서 기준 대비 변화: 총 시스템 비용(조 원/년)과 달성 재생에너지 배율(× 소비량). 1-10위."},
    "tn_col_rank": {"en": "rank", "ko": "순위"},
    "tn_col_driver": {"en": "input", "ko": "입력"},
    "tn_col_cost": {"en": "Δ cost low / high", "ko": "비용 변화 하한 / 상한"},
    "tn_col_share": {"en": "Δ share low / high", "ko": "배율 변화 하한 / 상한"},
    "fig_tornado_total_system_cost": {"en": "What moves the total system cost", "ko": "총 시스템 비용을 움직이는 요인"},
    "fig_tornado_renewable_ratio": {"en": "What moves the renewable share delivered",
                                    "ko": "달성 재생에너지 배율을 움직이는 요인"},
    "fig_tornado_cap": {"en": "Bars: the change from the central case at the low and high end of each input's range "
                              "(the sweep's tornado.csv).",
                        "ko": "막대: 각 입력 범위의 하한·상한에서 기준 대비 변화(스윕의 tornado.csv)."},
    "case_this": {"en": "this run ({scenario})", "ko": "이 실행({scenario})"},
    "case_private": {"en": "private financing: 7 % real discount rate", "ko": "민간 자본조달: 실질 할인율 7 %"},
    "case_battery_atb": {"en": "battery costs of NREL ATB 2024 (moderate)", "ko": "NREL ATB 2024(중간) 배터리 비용"},
    "case_government_plan": {"en": "committed projects built (government plan)", "ko": "확정 사업 반영(정부 계획)"},
    "case_electrified": {"en": "electrified demand (2.2 × 2021, estimate)", "ko": "전기화 수요(2021년의 2.2배, 추정)"},
    "cases_caption": {
        "en": "Companion cases of this scenario, each its own run beside this one (outputs/<case>/summary.csv): total "
              "and net cost (trillion KRW/yr), cost per MWh delivered (KRW), renewable share delivered (× consumption) "
              "and the target shortfall (TWh/yr).",
        "ko": "이 시나리오의 비교 사례(각각 이 실행 옆의 별도 실행, outputs/<사례>/summary.csv): 총비용·순비용(조 원/년), 공급 "
              "전력량당 비용(원), 달성 재생에너지 배율(× 소비량), 목표 미달량(TWh/년)."},
    "cases_none": {
        "en": "No companion case of {scenario} has been solved beside this run: `re300 solve models/{scenario}_private.yaml` "
              "(7 % financing), `models/government_plan.yaml` (committed projects) and "
              "`models/{scenario}_electrified.yaml` (electrified demand) add them here.",
        "ko": "{scenario}의 비교 사례가 이 실행 옆에 없음: `re300 solve models/{scenario}_private.yaml`(7 % 자본조달), "
              "`models/government_plan.yaml`(확정 사업), `models/{scenario}_electrified.yaml`(전기화 수요)로 추가됨."},
    "cases_stale": {"en": "Solved on other input files than this run (rerun them): {names}",
                    "ko": "이 실행과 다른 입력 파일로 계산됨(다시 실행하십시오): {names}"},
    "cs_col_case": {"en": "case", "ko": "사례"},
    "cs_col_cost": {"en": "total cost", "ko": "총비용"},
    "cs_col_net": {"en": "net cost", "ko": "순비용"},
    "cs_col_avg": {"en": "KRW/MWh delivered", "ko": "원/MWh(공급량)"},
    "cs_col_ratio": {"en": "renewable share", "ko": "재생에너지 배율"},
    "cs_col_short": {"en": "shortfall", "ko": "목표 미달"},
    "electrification_none": {
        "en": "Electrified demand as a range is not computed for this run: `make sweep SWEEP=electrification` "
              "(1.0-2.2 × 2021 consumption).",
        "ko": "전기화 수요 범위는 계산되지 않음: `make sweep SWEEP=electrification`(2021년 소비량의 1.0-2.2배)."},
    "electrification_caption": {
        "en": "Electrified demand (sweep electrification; growth over 2021 consumption, an estimate): the renewable share "
              "the potentials deliver, the shortfall, the cost per MWh delivered and the non-renewable supply that "
              "serves Honam's load instead.",
        "ko": "전기화 수요(스윕 electrification; 2021년 소비량 대비 증가, 추정): 잠재량으로 달성하는 재생에너지 배율, 미달량, "
              "공급 전력량당 비용, 대신 호남 부하를 공급하는 비재생 전력."},
    "el_col_growth": {"en": "demand", "ko": "수요"},
    "el_col_demand": {"en": "consumption", "ko": "소비량"},
    "el_col_ratio": {"en": "share delivered", "ko": "달성 배율"},
    "el_col_short": {"en": "shortfall", "ko": "미달량"},
    "el_col_avg": {"en": "KRW/MWh delivered", "ko": "원/MWh"},
    "el_col_nonre": {"en": "non-renewable", "ko": "비재생 공급"},
}
