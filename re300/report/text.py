"""Every sentence and label of the memo in Korean and English: `tr(key, lang, **values)`.

Region and technology names are data (`inputs/regions.csv`, `inputs/technologies.csv`, columns name_ko/name_en).

Length (about 520 lines): a table of sentences in two languages, no logic; the deliverability, sensitivity and
pathway texts already live in text_deliverability.py, text_sensitivity.py and the pathway memo.
"""
from __future__ import annotations

LANGS = ("ko", "en")

# No U+2212 (minus sign) in these texts: NanumGothic has no glyph for it; use "-".
TEXT: dict[str, dict[str, str]] = {
    # ---- titles -------------------------------------------------------------------------------------------
    "title": {"en": "Honam RE300 policy memo — scenario “{scenario}”",
              "ko": "호남 RE300 정책 메모 — 시나리오 “{scenario}”"},
    "compare_title": {"en": "Honam RE300 — comparison of scenarios {names}",
                      "ko": "호남 RE300 — 시나리오 비교: {names}"},
    "scenario_line": {
        "en": "Target year {year}, technology costs of {cost_year}; renewable generation target {re_target} × Honam "
              "consumption{export_part}. Consumption {consumption} (Gwangju, Jeonnam, Jeonbuk). All money in KRW of "
              "{money_year}.",
        "ko": "목표 연도 {year}년, 기술 비용은 {cost_year}년 기준; 재생에너지 발전 목표는 호남 소비량의 {re_target}배{export_part}. "
              "소비량 {consumption} (광주·전남·전북). 모든 금액은 {money_year}년 원화 기준.",
    },
    "horizon_line": {"en": "Time horizon of the run: {horizon}; every figure below is on the calendar of the weather "
                           "year.{note}",
                     "ko": "실행의 시간 범위: {horizon}; 아래 그림은 모두 기상 연도의 달력 위에 그림.{note}"},
    "export_part": {"en": ", of which {export_target} × consumption delivered to the Capital region",
                    "ko": ", 그중 소비량의 {export_target}배를 수도권에 송전"},
    "no_target": {"en": "none", "ko": "없음"},
    "generated_from": {
        "en": "Built by `re300 memo` from the result CSVs of the results folder `{run_dir}` alone (the folder above this "
              "memo: summary.csv, capacity.csv, energy.csv, costs.csv, transmission.csv, prices.csv, hourly.csv, "
              "calendar.csv, storage_level.csv{extra}) and the run's manifest.json; names and assumptions from the run's "
              "input tables (`{inputs_dir}` of the project).",
        "ko": "`re300 memo`가 결과 폴더 `{run_dir}`(이 메모의 상위 폴더)의 결과 CSV(summary.csv, capacity.csv, energy.csv, "
              "costs.csv, transmission.csv, prices.csv, hourly.csv, calendar.csv, storage_level.csv{extra})와 manifest.json만으로 "
              "작성했습니다. 이름과 가정은 실행에 쓰인 입력 표(프로젝트의 `{inputs_dir}`)에서 가져왔습니다.",
    },
    # ---- headline ---------------------------------------------------------------------------------------------
    "h_headline": {"en": "Headline", "ko": "핵심 결과"},
    "hl_ratio": {"en": "Renewable ratio reached", "ko": "재생에너지 비율 달성"},
    "hl_ratio_val": {"en": "{ratio} × Honam consumption (target {target} ×)",
                     "ko": "호남 소비량의 {ratio}배 (목표 {target}배)"},
    "hl_cost": {"en": "Total annual system cost", "ko": "연간 총 시스템 비용"},
    "hl_cost_val": {"en": "{cost}; {avg} delivered (Honam demand {demand} + exports delivered {exports})",
                    "ko": "{cost}; 공급 전력량(호남 수요 {demand} + 수도권 도착 송전량 {exports}) 기준 {avg}"},
    "hl_cost_split_honam": {"en": "Honam's own supply: {cost} = {avg} of Honam demand",
                            "ko": "호남 자체 공급: {cost} = 호남 수요 기준 {avg}"},
    "hl_cost_split_export": {"en": "Export service to the Capital region: {cost} = {avg} delivered there",
                             "ko": "수도권 송전 서비스: {cost} = 수도권 도착 송전량 기준 {avg}"},
    "hl_cost_split_how": {
        "en": "How the split is made (an attribution, not a market outcome): the corridor links to the Capital region "
              "(costs.csv) go to the export service; every other cost is shared in proportion to Honam demand "
              "({demand}) and the energy sent into the corridor ({sent}, transmission.csv, sending end).",
        "ko": "배분 방법(시장 결과가 아닌 회계상 배분): 수도권 송전로 비용(costs.csv)은 송전 서비스에, 나머지 비용은 호남 수요({demand})와 "
              "송전로로 보낸 전력량({sent}, transmission.csv, 송전단 기준)의 비율로 나눔."},
    "hl_cost_per_demand": {"en": "The whole cost over Honam demand alone: {avg} of Honam demand (it loads the exports' "
                                 "cost onto Honam demand; summary.csv average_cost_per_mwh_demand)",
                           "ko": "전체 비용을 호남 수요로만 나누면 호남 수요 기준 {avg} (수도권 송전 비용까지 호남 수요에 얹은 값; "
                                 "summary.csv average_cost_per_mwh_demand)"},
    "hl_shadow": {"en": "What the target costs (shadow price)", "ko": "목표의 비용 (잠재가격)"},
    "hl_shadow_val": {"en": "{re} for the renewable target and {ex} for the export commitment (the extra annual "
                            "cost of raising each by one MWh)",
                      "ko": "재생에너지 목표 {re}, 수도권 송전 의무 {ex} (각 목표를 1 MWh 늘릴 때 추가되는 연간 비용)"},
    "hl_shadow_val_noexport": {"en": "{re} for the renewable target (the extra annual cost of raising it by one MWh; "
                                     "no export commitment)",
                               "ko": "재생에너지 목표 {re} (목표를 1 MWh 늘릴 때 추가되는 연간 비용; 수도권 송전 의무 없음)"},
    "hl_exports": {"en": "Exports to the Capital region", "ko": "수도권 송전량"},
    "hl_exports_val": {"en": "{twh} delivered = {ratio} × Honam consumption",
                       "ko": "{twh} 도착 = 호남 소비량의 {ratio}배"},
    "hl_corridor": {"en": "Routes to the Capital region", "ko": "수도권 방향 송전로"},
    "hl_corridor_item": {"en": "{name}: {total} ({new} new), carries {twh}, used {util} of the year",
                         "ko": "{name}: {total} (신규 {new}), 송전량 {twh}, 이용률 {util}"},
    "hl_curtail": {"en": "Curtailment", "ko": "출력제한(curtailment)"},
    "hl_curtail_val": {"en": "{twh} = {share} of the available renewable energy",
                       "ko": "{twh} = 가용 재생에너지의 {share}"},
    "hl_storage": {"en": "Storage", "ko": "저장장치"},
    "hl_storage_item": {"en": "{name}: {p_total} / {e_total} in total, of which {p_new} / {e_new} new",
                        "ko": "{name}: 총 {p_total} / {e_total}, 그중 신규 {p_new} / {e_new}"},
    "hl_emissions": {"en": "Emissions avoided", "ko": "온실가스 감축량"},
    "hl_emissions_val": {
        "en": "{avoided}: supplying Honam consumption ({consumption}) from today's national grid at {ef} "
              "(grid_emission_factor in inputs/constants.csv{hash_note}) would emit {grid}; the plan emits {emitted} "
              "(non-renewable supply {nonre})",
        "ko": "{avoided}: 호남 소비량({consumption})을 현재 전국 계통 배출계수 {ef}(inputs/constants.csv의 "
              "grid_emission_factor{hash_note})로 공급하면 {grid} 배출; 이 계획의 배출은 {emitted} (비재생 공급 {nonre})",
    },
    "hash_ok": {"en": ", the same file the run hashed in manifest.json",
                "ko": ", manifest.json에 기록된 실행 당시 파일과 동일"},
    "hash_changed": {"en": ", CHANGED since the run: the run may have used another value",
                     "ko": ", 실행 이후 변경됨: 실행에는 다른 값이 쓰였을 수 있음"},
    "hl_build": {"en": "Capacities to build", "ko": "신규 건설 용량"},
    "hl_build_val": {"en": "{total_gw} of new generation and storage power in total; by region and technology in "
                           "the table below",
                     "ko": "발전·저장 설비 신규 총 {total_gw}; 지역·기술별 내역은 아래 표"},
    "hl_warning": {"en": "Warning", "ko": "경고"},
    "hl_unserved": {"en": "{twh} of demand is NOT served (priced at the value of lost load)",
                    "ko": "수요 {twh}가 공급되지 못함(정전 비용으로 계산됨)"},
    "hl_shortfall": {"en": "the targets are MISSED: renewable shortfall {re}, export shortfall {ex} (penalty {pen} "
                           "is not included in the system cost)",
                     "ko": "목표 미달: 재생에너지 부족 {re}, 수도권 송전 부족 {ex} (벌칙 비용 {pen}은 시스템 비용에 미포함)"},
    # ---- tables ---------------------------------------------------------------------------------------------
    "h_build": {"en": "Capacities to build, by region and technology", "ko": "지역·기술별 신규 건설 용량"},
    "build_caption": {"en": "New capacity chosen by the model (capacity.csv, column new; power in MW, storage energy in "
                            "MWh). Rows below {min_mw} MW are omitted.",
                      "ko": "모형이 선택한 신규 용량(capacity.csv의 new 열; 출력 MW, 저장 에너지 MWh). {min_mw} MW 미만은 생략."},
    "col_region": {"en": "Region", "ko": "지역"},
    "col_technology": {"en": "Technology", "ko": "기술"},
    "col_existing": {"en": "Existing", "ko": "기존"},
    "col_new": {"en": "New", "ko": "신규"},
    "col_total": {"en": "Total", "ko": "합계"},
    "col_unit": {"en": "Unit", "ko": "단위"},
    "col_quantity": {"en": "Quantity", "ko": "항목"},
    "col_value": {"en": "Value", "ko": "값"},
    "col_status": {"en": "Status", "ko": "상태"},
    "col_source": {"en": "Source", "ko": "출처"},
    "col_metric": {"en": "Metric", "ko": "지표"},
    "nothing_built": {"en": "The model builds no new capacity.", "ko": "모형은 신규 설비를 건설하지 않습니다."},
    # ---- figures --------------------------------------------------------------------------------------------
    "h_figures": {"en": "Figures", "ko": "그림"},
    "fig_capacity": {"en": "Capacity by region and technology", "ko": "지역·기술별 설비용량"},
    "fig_capacity_cap": {"en": "Total capacity (GW) per region; solid = new, hatched = existing (capacity.csv). "
                               "Storage is its power (MW); non-renewable supply is not shown.",
                         "ko": "지역별 총 설비용량(GW); 채움 = 신규, 빗금 = 기존(capacity.csv). 저장장치는 출력 기준이며 비재생 공급은 "
                               "표시하지 않음."},
    "fig_map": {"en": "Schematic map: capacities and annual flows", "ko": "개념 지도: 설비용량과 연간 전력 흐름"},
    "fig_map_cap": {"en": "A schematic on approximate region centres (inputs/regions.csv, lat/lon), not a geographic map: the "
                          "Honam regions are drawn {spread} × further apart and the Capital region at about "
                          "{capital_pct} % of its distance, for legibility. Nodes: "
                          "renewable and storage capacity (capacity.csv); arrows: link capacity and net annual energy "
                          "sent (transmission.csv, energy_forward - energy_backward, sending end).",
                    "ko": "지역 중심의 대략적 위치(inputs/regions.csv의 위도·경도)로 그린 개념도이며 실제 지도가 아님: 알아보기 쉽도록 호남 "
                          "지역 간 거리는 {spread}배로 넓히고 수도권은 실제 거리의 약 {capital_pct}%로 가깝게 그림. 원: 재생에너지·저장 "
                          "설비용량(capacity.csv); 화살표: 송전 용량과 연간 순송전량(transmission.csv, energy_forward - "
                          "energy_backward, 송전단 기준)."},
    "fig_dispatch": {"en": "Hourly dispatch in Honam: {season} week", "ko": "호남 시간별 운전: {season} 주간"},
    "fig_dispatch_cap": {
        "en": "Honam (Gwangju + Jeonnam + Jeonbuk) hour by hour in the calendar week {start} to {end} (KST): generation "
              "by technology and storage discharge above zero, storage charging and net export below; grey = "
              "curtailed; line = demand. The run modelled {horizon}: each calendar day shows the typical day standing "
              "for it, a segment's mean power over its hours (hourly.csv through calendar.csv). {why}",
        "ko": "{start}부터 {end}까지 달력상 한 주의 호남(광주+전남+전북) 시간별 운전(한국 표준시): 0 위는 기술별 발전과 저장장치 "
              "방전, 0 아래는 저장장치 충전과 순송출; 회색 = 출력제한; 선 = 수요. 이 실행의 모형: {horizon}. 달력의 각 날은 그 날을 "
              "대표하는 대표일을, 구간(segment)은 그 시간들에 걸친 평균 출력을 보여 줌(hourly.csv를 calendar.csv로 연결). {why}"},
    "fig_dispatch_cap_weeks": {
        "en": "Honam (Gwangju + Jeonnam + Jeonbuk) hour by hour in the modelled week {start} to {end} (KST; hourly.csv): "
              "generation by technology and storage discharge above zero, storage charging and net export below; "
              "grey = curtailed; line = demand. The run modelled {horizon}. {why}",
        "ko": "모형 주간 {start}부터 {end}까지 호남(광주+전남+전북) 시간별 운전(한국 표준시; hourly.csv): 0 위는 기술별 발전과 "
              "저장장치 방전, 0 아래는 저장장치 충전과 순송출; 회색 = 출력제한; 선 = 수요. 이 실행의 모형: {horizon}. {why}"},
    "why_spring": {"en": "The week is chosen by a rule: of the whole weeks in March-May, the one with the most curtailed "
                         "energy.",
                   "ko": "주 선정 규칙: 3-5월의 온전한 주 가운데 출력제한 전력량이 가장 많은 주."},
    "why_summer": {"en": "The week is chosen by a rule: of the whole weeks in June-August, the one with the least wind "
                         "energy available (used + curtailed).",
                   "ko": "주 선정 규칙: 6-8월의 온전한 주 가운데 가용 풍력 전력량(이용 + 출력제한)이 가장 적은 주."},
    "why_winter": {"en": "The week is chosen by a rule: of the whole weeks in January-February and December, the one with "
                         "the highest demand peak (then the most demand energy).",
                   "ko": "주 선정 규칙: 1-2월과 12월의 온전한 주 가운데 수요 최대치가 가장 높은 주(같으면 수요 전력량이 많은 주)."},
    "no_season_week": {"en": "No whole modelled week falls in {season} ({months}); the run modelled {horizon}, and no "
                             "week is drawn for a season it did not model.",
                       "ko": "{season}({months})에 해당하는 온전한 모형 주간이 없습니다. 이 실행의 모형: {horizon}. 모형화하지 않은 "
                             "계절의 주는 그리지 않습니다."},
    "season_spring": {"en": "spring", "ko": "봄"},
    "season_summer": {"en": "summer", "ko": "여름"},
    "season_winter": {"en": "winter", "ko": "겨울"},
    "months_spring": {"en": "March–May", "ko": "3–5월"},
    "months_summer": {"en": "June–August", "ko": "6–8월"},
    "months_winter": {"en": "December–February", "ko": "12–2월"},
    "hz_representative": {"en": "{n} typical days{extreme}, {steps}, mapped onto the {days} days of the calendar",
                          "ko": "대표일 {n}일{extreme}, {steps}, 달력의 {days}일에 대응"},
    "hz_extreme": {"en": " + {n} extreme day", "ko": " + 극한일 {n}일"},
    "hz_extremes": {"en": " + {n} extreme days", "ko": " + 극한일 {n}일"},
    "hz_segments": {"en": "{n} segments per day", "ko": "하루 {n}개 구간(segment)"},
    "hz_hourly": {"en": "hourly", "ko": "시간 단위"},
    "hz_weeks": {"en": "{n} selected weeks (starting {starts}), each hour standing for {weights} h of the year",
                 "ko": "선택 주간 {n}개({starts} 시작), 각 시간은 연간 {weights}시간을 대표"},
    "hz_week": {"en": "1 selected week (starting {starts}), each hour standing for {weights} h of the year",
                "ko": "선택 주간 1개({starts} 시작), 각 시간은 연간 {weights}시간을 대표"},
    "hz_not_modelled": {"en": " The rest of the year is not modelled: the calendar leaves it empty instead of inventing "
                              "values.",
                        "ko": " 나머지 기간은 모형화하지 않았으며, 달력에서는 값을 지어내지 않고 비워 둠."},
    "hz_full": {"en": "all 8,760 hours of the year", "ko": "연간 8,760시간 전체"},
    "hz_full_coarse": {"en": "all 8,760 hours of the year in {k}-hour steps", "ko": "연간 8,760시간 전체({k}시간 단위)"},
    "fig_price": {"en": "Price duration curves", "ko": "가격 지속곡선"},
    "fig_price_cap": {"en": "Hourly marginal price per region (prices.csv, dual of the power balance, KRW/MWh), sorted; "
                            "each snapshot counts for its weight_h hours of the year (the run modelled {horizon}; the "
                            "curve spans all 8,760 h). Where prices are extreme (a missed target), the axis is "
                            "logarithmic beyond ±{linear} KRW/MWh.",
                      "ko": "지역별 시간별 한계가격(prices.csv, 전력수급 제약의 쌍대값, 원/MWh)을 내림차순 정렬; 각 스냅샷은 weight_h만큼의 "
                            "연간 시간을 대표(이 실행의 모형: {horizon}; 곡선은 연간 8,760시간 전체). 목표 미달로 가격이 극단적이면 "
                            "±{linear} 원/MWh 바깥은 로그 축."},
    "fig_monthly": {"en": "Monthly energy balance", "ko": "월별 전력수급"},
    "fig_monthly_cap": {"en": "Honam energy per calendar month in TWh: Σ MW × weight_h over the calendar hours of the "
                              "month, each taking the values of the snapshot standing for it (calendar.csv, hourly.csv); "
                              "the run modelled {horizon}. The twelve months add up to the annual totals of energy.csv. "
                              "Supply above zero, uses below; grey hatched = curtailed.",
                        "ko": "호남의 월별 에너지(TWh): 해당 월의 달력 시간마다 그 시간을 대표하는 스냅샷 값의 Σ MW × weight_h "
                              "(calendar.csv, hourly.csv); 이 실행의 모형: {horizon}. 12개월의 합은 energy.csv의 연간 합계와 같음. "
                              "0 위는 공급, 0 아래는 사용; 회색 빗금 = 출력제한."},
    "fig_monthly_cap_weeks": {"en": "Honam energy per calendar month in TWh: Σ MW × weight_h over the modelled hours of "
                                    "the month (calendar.csv, hourly.csv). The run modelled {horizon}: a month shows the "
                                    "energy its selected weeks stand for and months without one are empty (not "
                                    "modelled); the months add up to the annual totals of energy.csv. Supply above "
                                    "zero, uses below; grey hatched = curtailed.",
                              "ko": "호남의 월별 에너지(TWh): 해당 월 모형 시간의 Σ MW × weight_h(calendar.csv, hourly.csv). 이 실행의 "
                                    "모형: {horizon}. 각 월의 값은 그 달 모형 주간이 대표하는 에너지이며 모형 주간이 없는 달은 비어 있음"
                                    "(모형화하지 않음); 월별 합은 energy.csv의 연간 합계와 같음. 0 위는 공급, 0 아래는 사용; 회색 빗금 = "
                                    "출력제한."},
    "fig_storage": {"en": "Energy stored over the year", "ko": "연중 저장 에너지"},
    "fig_storage_cap": {"en": "Energy stored in Honam storage at the end of every hour of the year, per technology "
                              "(storage_level.csv, GWh, sum over the provinces; black = daily mean); dashed = energy "
                              "capacity (capacity.csv). The run modelled {horizon}; storage linked across days takes the inter-day level of each "
                              "calendar day plus the level within its typical day (Kotzur et al. 2018), so a seasonal "
                              "store shows its course through the year and a daily store its cycles.",
                        "ko": "연중 매시간 말 호남 저장장치의 저장 에너지(storage_level.csv, GWh, 광역 합계; 검은 선 = 일평균), 기술별; 점선 = 저장 용량"
                              "(capacity.csv). 이 실행의 모형: {horizon}. 날을 넘어 연결된 저장장치는 달력 날마다의 일간 수준에 대표일 "
                              "안의 수준을 더한 값(Kotzur 외 2018)이므로, 계절 저장은 연중 흐름을, 일간 저장은 하루 주기를 보여 줌."},
    "fig_storage_cap_weeks": {"en": "Energy stored in Honam storage at the end of every modelled hour (storage_level.csv, "
                                    "GWh, sum over the provinces); dashed = energy capacity (capacity.csv). The run "
                                    "modelled {horizon}: storage cycles within each week and the rest of the year is not "
                                    "modelled (blank).",
                              "ko": "모형 시간마다 말 호남 저장장치의 저장 에너지(storage_level.csv, GWh, 광역 합계); 점선 = 저장 용량"
                                    "(capacity.csv). 이 실행의 모형: {horizon}. 저장장치는 주 단위로 순환하며 나머지 기간은 모형화하지 "
                                    "않음(빈칸)."},
    "fig_costs": {"en": "Annual cost breakdown", "ko": "연간 비용 구성"},
    "fig_costs_net": {"en": " gross, {net} net", "ko": " (총비용), 순비용 {net}"},
    "fig_costs_cap": {"en": "Annual cost per asset and component (costs.csv, trillion KRW/yr); target shortfall "
                            "penalties excluded. Green bars below zero are value created, not money spent: the fuel "
                            "and carbon of the generation the capital region no longer runs when it takes Honam's "
                            "exports, and the hydrogen sold to industry; gross cost minus them is the net cost.",
                      "ko": "자산·항목별 연간 비용(costs.csv, 조 원/년); 목표 미달 벌칙 비용 제외. 0 아래의 녹색 막대는 "
                            "지출이 아닌 창출된 가치입니다: 수도권이 호남의 송출 전력을 받아 가동하지 않게 된 발전의 연료·"
                            "탄소 비용과 산업체에 판매한 수소입니다. 총비용에서 이를 뺀 값이 순비용입니다."},
    "comp_displaced_generation": {"en": "value of the capital region's generation displaced by exports",
                                  "ko": "송출 전력이 대체한 수도권 발전의 가치"},
    "comp_product_sales": {"en": "hydrogen sold to industry", "ko": "산업체 수소 판매"},
    # axis / legend labels
    "ax_gw": {"en": "Capacity [GW]", "ko": "설비용량 [GW]"},
    "ax_gwh": {"en": "Stored [GWh]", "ko": "저장량 [GWh]"},
    "lbl_daily_mean": {"en": "daily mean", "ko": "일평균"},
    "lbl_capacity": {"en": "capacity", "ko": "용량"},
    "ax_mw": {"en": "Power [MW]", "ko": "전력 [MW]"},
    "ax_gw_power": {"en": "Power [GW]", "ko": "전력 [GW]"},
    "ax_price": {"en": "Marginal price [KRW/MWh]", "ko": "한계가격 [원/MWh]"},
    "ax_hours": {"en": "Hours of the year at or above this price [h]", "ko": "해당 가격 이상인 연간 시간 [시간]"},
    "ax_twh": {"en": "Energy [TWh]", "ko": "에너지 [TWh]"},
    "ax_cost": {"en": "Annual cost [trillion KRW/yr]", "ko": "연간 비용 [조 원/년]"},
    "ax_month": {"en": "Month", "ko": "월"},
    "lbl_existing": {"en": "existing (hatched)", "ko": "기존(빗금)"},
    "lbl_new": {"en": "new (solid)", "ko": "신규(채움)"},
    "lbl_demand": {"en": "Demand", "ko": "수요"},
    "lbl_curtailed": {"en": "Curtailed", "ko": "출력제한"},
    "lbl_charge": {"en": "Storage charging", "ko": "저장장치 충전"},
    "lbl_discharge": {"en": "Storage discharge", "ko": "저장장치 방전"},
    "lbl_net_export": {"en": "Net export", "ko": "순송출"},
    "lbl_net_import": {"en": "Net import", "ko": "순수입"},
    "lbl_unserved": {"en": "Unserved", "ko": "미공급"},
    "comp_investment": {"en": "investment (annualised)", "ko": "투자비(연간화)"},
    "comp_fixed_om": {"en": "fixed O&M", "ko": "고정 운영유지비"},
    "comp_variable_and_purchase": {"en": "variable cost and purchases", "ko": "변동비·구매비"},
    "comp_carbon": {"en": "carbon", "ko": "탄소 비용"},
    "comp_value_of_lost_load": {"en": "unserved energy (value of lost load)", "ko": "미공급 전력(정전 비용)"},
    "comp_shortfall_penalty": {"en": "target shortfall penalty", "ko": "목표 미달 벌칙"},
    "node_label": {"en": "{name}\nRE {re_gw} GW, storage {st_gw} GW", "ko": "{name}\n재생 {re_gw} GW, 저장 {st_gw} GW"},
    "link_label": {"en": "{gw} GW · {twh} TWh/yr", "ko": "{gw} GW · {twh} TWh/년"},
    "capital_label": {"en": "{name}\nreceives {twh} TWh/yr", "ko": "{name}\n수전 {twh} TWh/년"},
    # ---- pathway memo ---------------------------------------------------------------------------------------
    "pw_title": {"en": "Honam RE300 pathway memo — scenario “{scenario}”", "ko": "호남 RE300 경로 정책 메모 — 시나리오 “{scenario}”"},
    "pw_scenario_line": {
        "en": "Investment periods {periods} ({foresight} foresight), each standing for the years up to the next; Honam "
              "consumption grows from {first} in the first period to {last} in the last. Costs are discounted to "
              "{base} at {rate}; all money in KRW of {money_year}.",
        "ko": "투자 기간 {periods}({foresight}), 각 기간은 다음 기간 전까지의 연도를 대표; 호남 소비량은 첫 기간 {first}에서 마지막 "
              "기간 {last}로 증가. 비용은 {rate}로 {base}년 기준 현재가치로 할인; 모든 금액은 {money_year}년 원화 기준."},
    "pw_horizon_line": {"en": "Time horizon of every period: {horizon}; the calendar figures show the last period.",
                        "ko": "각 기간의 시간 범위: {horizon}; 달력 그림은 마지막 기간을 보여 줌."},
    "pw_hl_cost": {"en": "Cost of the pathway", "ko": "경로 전체 비용"},
    "pw_hl_cost_val": {"en": "{pv} present value in {base} (Σ over periods of W_p × annual system cost, discounted at "
                             "{rate}); per period:",
                       "ko": "{base}년 기준 현재가치 {pv}(기간별 W_p × 연간 시스템 비용의 합, 할인율 {rate}); 기간별:"},
    "pw_hl_cost_item": {"en": "{year}: {cost}; {avg} delivered (Honam demand + exports delivered)",
                        "ko": "{year}년: {cost}; 공급 전력량(호남 수요 + 수도권 도착 송전량) 기준 {avg}"},
    "pw_hl_penalty": {"en": "Target shortfall penalties, not part of the system cost: {pv} present value",
                      "ko": "목표 미달 벌칙(시스템 비용에 미포함): 현재가치 {pv}"},
    "pw_hl_targets": {"en": "Targets per period", "ko": "기간별 목표"},
    "pw_hl_targets_val": {"en": "renewable ratio and exports to the Capital region, × Honam consumption of the period",
                          "ko": "재생에너지 비율과 수도권 송전량, 해당 기간 호남 소비량 대비 배수"},
    "pw_hl_targets_item": {"en": "{year}: renewable {re}; exports {ex} ({twh} delivered)",
                           "ko": "{year}년: 재생에너지 {re}; 수도권 송전 {ex} (도착 {twh})"},
    "pw_ratio_vs_target": {"en": "{ratio} × (target {target} ×)", "ko": "{ratio}배 (목표 {target}배)"},
    "pw_ratio_no_target": {"en": "{ratio} × (no target)", "ko": "{ratio}배 (목표 없음)"},
    "pw_hl_built": {"en": "Built over the pathway", "ko": "경로 전체 신규 건설"},
    "pw_hl_built_val": {"en": "{gw} of generation and storage power in Honam, {first}-{last}; by technology:",
                        "ko": "{first}-{last}년 호남 발전·저장 설비 {gw}; 기술별:"},
    "pw_hl_corridor": {"en": "HVDC corridor to the Capital region", "ko": "수도권 HVDC 송전로"},
    "pw_hl_corridor_item": {"en": "{year}: {gw} in service ({new} built in the period)",
                            "ko": "{year}년: 운영 {gw} (해당 기간 신규 {new})"},
    "pw_h_periods": {"en": "The periods side by side", "ko": "기간별 비교"},
    "pw_col_period": {"en": "Period", "ko": "기간"},
    "pw_col_consumption": {"en": "Consumption [TWh/yr]", "ko": "소비량 [TWh/년]"},
    "pw_col_ratio": {"en": "Renewable ratio", "ko": "재생에너지 비율"},
    "pw_col_exports": {"en": "Exports", "ko": "수도권 송전"},
    "pw_col_cost": {"en": "Annual cost [trillion KRW/yr]", "ko": "연간 비용 [조 원/년]"},
    "pw_col_avg": {"en": "Cost per MWh delivered [KRW/MWh]", "ko": "공급 MWh당 비용 [원/MWh]"},
    "pw_col_weight": {"en": "W_p [yr]", "ko": "W_p [년]"},
    "pw_col_pv": {"en": "Present value [trillion KRW]", "ko": "현재가치 [조 원]"},
    "pw_col_built": {"en": "Built [GW]", "ko": "신규 [GW]"},
    "pw_col_shortfall": {"en": "Shortfall [TWh/yr]", "ko": "목표 미달 [TWh/년]"},
    "pw_periods_caption": {
        "en": "summary.csv per period: consumption, renewable ratio and exports (× consumption) against the period's "
              "targets, annual system cost and cost per MWh delivered (Honam demand + exports delivered), the period's "
              "weight W_p (discounted years it stands for) and present value W_p × annual cost; built = Honam generation "
              "and storage power commissioned in the period (capacity_trajectory.csv); shortfall = renewable + export "
              "target shortfall.",
        "ko": "기간별 summary.csv: 소비량, 재생에너지 비율과 수도권 송전(소비량 대비 배수)과 해당 기간 목표, 연간 시스템 비용과 공급 "
              "MWh당 비용(호남 수요 + 수도권 도착 송전량), 기간 가중치 W_p(대표하는 할인 연수)와 현재가치 W_p × 연간 비용; 신규 = 해당 "
              "기간에 준공한 호남 발전·저장 출력(capacity_trajectory.csv); 목표 미달 = 재생에너지 + 송전 목표 미달량."},
    "pw_h_build": {"en": "What each period builds and retires (Honam, GW)", "ko": "기간별 신규 건설과 폐지 (호남, GW)"},
    "pw_build_caption": {"en": "Built / retired generation and storage power per period (capacity_trajectory.csv, "
                               "columns built and retired, summed over Gwangju, Jeonnam and Jeonbuk).",
                         "ko": "기간별 신규 건설 / 폐지 발전·저장 출력(capacity_trajectory.csv의 built, retired 열, 광주·전남·전북 합계)."},
    "pw_fig_trajectory": {"en": "Capacity trajectory by technology and region", "ko": "지역·기술별 설비용량 경로"},
    "pw_fig_trajectory_cap": {"en": "Generation and storage power in service in each period (existing + built, still "
                                    "in service), per province and technology, GW (capacity_trajectory.csv, column "
                                    "total); non-renewable supply not shown.",
                              "ko": "기간별 운영 중인 발전·저장 출력(기존 + 신규 중 운영 중), 광역·기술별, GW(capacity_trajectory.csv의 "
                                    "total 열); 비재생 공급 제외."},
    "pw_fig_targets": {"en": "Renewable ratio and exports against the targets", "ko": "목표 대비 재생에너지 비율과 수도권 송전"},
    "pw_ratio_title": {"en": "Renewable ratio [× consumption]", "ko": "재생에너지 비율 [× 소비량]"},
    "pw_export_title": {"en": "Exports counted toward the commitment [× consumption]",
                        "ko": "송출 목표에 산입된 양 [× 소비량]"},
    "pw_achieved": {"en": "reached", "ko": "달성"},
    "pw_achieved_wires": {"en": "delivered to the Capital region (net)", "ko": "수도권 도착 송전량(순)"},
    "pw_achieved_hydrogen": {"en": "sold as hydrogen (electricity used)", "ko": "수소로 판매(사용 전력량)"},
    "pw_target": {"en": "target", "ko": "목표"},
    "pw_ax_ratio": {"en": "× Honam consumption", "ko": "× 호남 소비량"},
    "pw_fig_targets_cap": {"en": "Bars: renewable ratio and exports reached in each period (summary.csv renewable_ratio, "
                                 "export_ratio); black marks: the period's targets (renewable_target_ratio, "
                                 "export_target_ratio; none where the period has no target).",
                           "ko": "막대: 기간별 달성한 재생에너지 비율과 수도권 송전(summary.csv의 renewable_ratio, export_ratio); 검은 "
                                 "표시: 해당 기간 목표(renewable_target_ratio, export_target_ratio; 목표 없는 기간은 표시 없음)."},
    "pw_fig_costs": {"en": "Costs per period", "ko": "기간별 비용"},
    "pw_costs_annual": {"en": "Annual system cost", "ko": "연간 시스템 비용"},
    "pw_costs_pv": {"en": "Present value of the period (W_p × annual)", "ko": "기간 현재가치 (W_p × 연간)"},
    "pw_ax_cost_pv": {"en": "Present value [trillion KRW]", "ko": "현재가치 [조 원]"},
    "pw_fig_costs_cap": {"en": "Left: annual system cost of each period by component (costs.csv, trillion KRW/yr, "
                               "undiscounted). Right: what the period adds to the pathway's cost, W_p × annual cost "
                               "(present value in {base} at {rate}; summary.csv period_objective_weight). Target "
                               "shortfall penalties excluded.",
                         "ko": "왼쪽: 기간별·항목별 연간 시스템 비용(costs.csv, 조 원/년, 할인 전). 오른쪽: 각 기간이 경로 비용에 더하는 "
                               "W_p × 연간 비용({base}년 기준 현재가치, 할인율 {rate}; summary.csv의 period_objective_weight). 목표 미달 "
                               "벌칙 제외."},
    "pw_fig_build": {"en": "What each period builds and retires", "ko": "기간별 신규 건설과 폐지"},
    "pw_ax_gw_change": {"en": "Built (up) / retired (down) [GW]", "ko": "신규(위) / 폐지(아래) [GW]"},
    "pw_fig_build_cap": {"en": "Honam generation and storage power commissioned in each period (solid, above zero) and "
                               "retired since the previous period (hatched, below: existing plants reaching the end of "
                               "their life and builds at the end of their lifetime), GW (capacity_trajectory.csv).",
                         "ko": "기간별 호남 발전·저장 출력 신규 준공(채움, 0 위)과 직전 기간 이후 폐지(빗금, 0 아래: 수명이 다한 기존 설비와 "
                               "신규 설비), GW(capacity_trajectory.csv)."},
    "pw_fig_hvdc": {"en": "HVDC timeline: corridor to the Capital region", "ko": "HVDC 일정: 수도권 송전로"},
    "pw_lbl_built": {"en": "built by the model (solid)", "ko": "모형 신규(채움)"},
    "pw_delivered": {"en": "exports delivered [TWh/yr]", "ko": "수도권 도착 송전량 [TWh/년]"},
    "pw_fig_hvdc_cap": {"en": "Capacity of each link into the Capital region in service per period (hatched = existing, "
                              "solid = built by the model; capacity_trajectory.csv) and the energy delivered there "
                              "(line, right axis; summary.csv exports_delivered). The availability schedule "
                              "(inputs/availability_years.csv) bounds when each corridor can be built.",
                        "ko": "기간별 수도권 연결 선로의 운영 용량(빗금 = 기존, 채움 = 모형 신규; capacity_trajectory.csv)과 수도권 도착 "
                              "송전량(선, 오른쪽 축; summary.csv의 exports_delivered). 가용 일정(inputs/availability_years.csv)이 "
                              "송전로 건설 가능 시점을 제한함."},
    # ---- assumptions --------------------------------------------------------------------------------------
    "h_assumptions": {"en": "Assumptions that drive the result, and their sources",
                      "ko": "결과를 좌우하는 가정과 출처"},
    "assumptions_intro": {
        "en": "Key inputs as read from the run's input tables (`{inputs_dir}` of the project); status 'found' = the "
              "number is in the cited source, 'estimate' = derived or assumed (the source column says how). Sources are "
              "quoted from the tables (shortened); the full text is in the file named.",
        "ko": "실행에 쓰인 입력 표(프로젝트의 `{inputs_dir}`)의 주요 값. 상태 'found' = 인용 출처에 있는 값, 'estimate' = 유도하거나 "
              "가정한 값(출처 열에 방법 기재). 출처는 표의 원문(영문, 요약)이며 전체 내용은 해당 파일에 있음."},
    "inputs_changed": {"en": "Input files changed since the run (sha256 differs from manifest.json): {files}. The table "
                             "shows the current files, which may differ from what the run used.",
                       "ko": "실행 이후 변경된 입력 파일(manifest.json의 sha256과 다름): {files}. 아래 표는 현재 파일 기준이므로 "
                             "실행에 쓰인 값과 다를 수 있음."},
    "a_demand": {"en": "Consumption {year}, {region} (× growth {growth} in this scenario)",
                 "ko": "{year}년 소비량, {region} (이 시나리오의 증가 계수 {growth}배 적용)"},
    "a_demand_pathway": {"en": "Consumption {year}, {region} (× each period's growth, pathway.demand_growth; consumption per "
                               "period in the table of periods)",
                         "ko": "{year}년 소비량, {region} (기간별 증가 계수 pathway.demand_growth 적용; 기간별 소비량은 기간별 비교 표)"},
    "a_potential": {"en": "Potential (total), {tech}, {region}", "ko": "잠재량(총), {tech}, {region}"},
    "a_capex": {"en": "Capital cost {year}, {tech}", "ko": "{year}년 투자비, {tech}"},
    "a_capex_energy": {"en": "Capital cost {year}, {tech} (energy)", "ko": "{year}년 투자비, {tech} (저장 에너지)"},
    "a_link": {"en": "{link}: {param}", "ko": "{link}: {param}"},
    "a_discount": {"en": "Discount rate (real)", "ko": "할인율(실질)"},
    "a_discount_override": {"en": "Discount rate (real), set in the scenario file",
                            "ko": "할인율(실질), 시나리오 파일에서 지정"},
    "a_constant": {"en": "{name}", "ko": "{name}"},
    "a_scenario_setting": {"en": "scenario file: {key}", "ko": "시나리오 파일: {key}"},
    "lp_length": {"en": "length", "ko": "길이"},
    "lp_existing": {"en": "existing capacity", "ko": "기존 용량"},
    "lp_max_new": {"en": "maximum expansion", "ko": "최대 증설량"},
    "lp_capex_per_km": {"en": "capital cost per km", "ko": "km당 투자비"},
    "lp_capex_terminal": {"en": "capital cost of the terminals", "ko": "변환소(단말) 투자비"},
    "lp_efficiency": {"en": "efficiency", "ko": "효율"},
    "a_no_expansion": {"en": "{link}: expansion not allowed in this scenario", "ko": "{link}: 이 시나리오에서 증설 불가"},
    # ---- limitations ------------------------------------------------------------------------------------------
    "h_limits": {"en": "What the model does not capture (limitations in plain words)", "ko": "모형의 한계 (쉬운 말로)"},
    "limits_horizon": {"en": "The year is represented by {horizon}: seasons, weather extremes and storage needs are "
                             "approximated, not measured on a full hourly year (README, Speed, compares the horizons).",
                       "ko": "1년을 다음으로 대표합니다: {horizon}. 계절, 기상 극값, 저장 수요는 근사이며 시간 단위 1년 전체로 잰 값이 "
                             "아닙니다(README의 Speed 절에서 비교)."},
    "limits": {
        "en": "\n".join([
            "The weather is synthetic: calibrated to published annual sunshine and wind statistics, not a real "
            "recorded year; a calm, dark spell worse than the modelled ones is not planned for.",
            "Each province is one point; power lines are a simple transport model (no AC power-flow physics, no "
            "substation or local grid constraints), and the HVDC corridor's cost is per MW·km plus terminals.",
            "{foresight}",
            "Non-renewable supply (national grid, existing thermal and nuclear) is one priced source per province, "
            "not a model of individual plants; the Capital region only absorbs what Honam sends.",
            "Many inputs are estimates (flagged 'estimate' above), in particular potentials, Jeonbuk consumption, "
            "sector shapes and costs in the target year; the result is a first model answer, not a plan.",
        ]),
        "ko": "\n".join([
            "기상은 합성 자료입니다. 공표된 연간 일사량·풍력 통계에 맞추었지만 실제 관측 연도가 아니므로, 모형보다 더 "
            "나쁜(바람 없고 흐린) 기간은 계획에 반영되지 않습니다.",
            "각 광역 지자체는 하나의 점이며, 송전은 단순 수송 모형입니다(교류 조류 계산, 변전소·배전망 제약 없음). HVDC 비용은 "
            "MW·km당 비용과 변환소 비용으로 계산합니다.",
            "{foresight}",
            "비재생 공급(전국 계통, 기존 화력·원자력)은 지역별 하나의 가격 공급원이며 개별 발전소 모형이 아닙니다. 수도권은 "
            "호남이 보내는 전력을 받기만 합니다.",
            "많은 입력값이 추정치입니다(위 표의 'estimate'), 특히 잠재량, 전북 소비량, 부문별 부하 형태, 목표 연도의 비용. "
            "결과는 첫 모형 결과이며 계획이 아닙니다.",
        ]),
    },
    "limits_single_year": {"en": "One target year at a time with perfect foresight: the memo shows the end state, not the "
                                 "path or timing of construction, permitting or supply chains (the pathway scenario does).",
                           "ko": "한 해의 목표 연도만 완전한 예견으로 풉니다. 이 메모는 최종 상태를 보여 줄 뿐, 건설·인허가·공급망의 경로나 "
                                 "시기는 다루지 않습니다(경로 시나리오가 다룸)."},
    "limits_pathway": {"en": "Each investment period stands for the years up to the next one and is solved on the same "
                             "representative weather; {foresight_word} foresight over the periods; construction, "
                             "permitting and supply chains enter only as build-rate limits and availability dates.",
                       "ko": "각 투자 기간은 다음 기간까지의 연도를 대표하며 같은 대표 기상으로 풉니다. 기간에 걸친 예견은 {foresight_word}; "
                             "건설·인허가·공급망은 연간 건설 한도와 가용 시점으로만 반영됩니다."},
    "foresight_perfect": {"en": "perfect", "ko": "완전 예견"},
    "foresight_myopic": {"en": "myopic (period by period)", "ko": "근시안적(기간별 순차)"},
    # ---- provenance -------------------------------------------------------------------------------------------
    "h_provenance": {"en": "Provenance", "ko": "출처 정보"},
    "prov_run": {"en": "Results folder: `{run_dir}`; solver status {status}; git revision {rev}{dirty}; input hash {hash}.",
                 "ko": "결과 폴더: `{run_dir}`; 솔버 상태 {status}; git 리비전 {rev}{dirty}; 입력 해시 {hash}."},
    "prov_dirty": {"en": " (uncommitted changes)", "ko": " (커밋되지 않은 변경 있음)"},
    # ---- comparison -----------------------------------------------------------------------------------------
    "compare_intro": {"en": "Side-by-side results of {n} scenarios, each read from its own result CSVs (results folders "
                            "{dirs}).",
                      "ko": "{n}개 시나리오의 결과를 나란히 비교합니다. 각 값은 해당 결과 CSV(결과 폴더 {dirs})에서 읽었습니다."},
    "h_compare_table": {"en": "Headline numbers side by side", "ko": "핵심 결과 비교"},
    "h_compare_build": {"en": "New capacity side by side [MW]", "ko": "신규 설비용량 비교 [MW]"},
    "cmp_capacity": {"en": "Honam capacity by technology", "ko": "기술별 호남 설비용량"},
    "cmp_capacity_cap": {"en": "Total capacity in Gwangju, Jeonnam and Jeonbuk per scenario (capacity.csv, GW); solid "
                               "= new, hatched = existing. Non-renewable supply not shown.",
                         "ko": "시나리오별 광주·전남·전북 총 설비용량(capacity.csv, GW); 채움 = 신규, 빗금 = 기존. 비재생 공급 제외."},
    "cmp_links": {"en": "Transmission capacity and annual flow", "ko": "송전 용량과 연간 송전량"},
    "cmp_links_cap": {"en": "Left: total capacity per link (transmission.csv, capacity_total, GW). Right: energy sent "
                            "(energy_forward + energy_backward, TWh/yr).",
                      "ko": "왼쪽: 송전선로별 총 용량(transmission.csv, capacity_total, GW). 오른쪽: 연간 송전량(energy_forward + "
                            "energy_backward, TWh/년)."},
    "cmp_price": {"en": "Price duration curves (Honam, demand-weighted)", "ko": "가격 지속곡선 (호남, 수요 가중)"},
    "cmp_price_cap": {"en": "Per modelled hour, the demand-weighted average of the regional marginal prices of Gwangju, "
                            "Jeonnam and Jeonbuk (prices.csv, hourly.csv demand), sorted; each hour counts for its "
                            "weight_h hours of the year; beyond ±{linear} KRW/MWh the axis is logarithmic when prices are extreme.",
                      "ko": "모형 시간별 광주·전남·전북 한계가격의 수요 가중 평균(prices.csv, hourly.csv의 demand)을 정렬; 각 시간은 "
                            "weight_h만큼의 연간 시간을 대표; 가격이 극단적이면 ±{linear} 원/MWh 바깥은 로그 축."},
    "cmp_energy": {"en": "Annual energy balance of Honam", "ko": "호남 연간 전력수급"},
    "cmp_energy_cap": {"en": "Annual energy per scenario (energy.csv, TWh/yr): generation by technology and storage "
                             "discharge above zero; demand, storage charging and net export below; grey hatched = "
                             "curtailed.",
                       "ko": "시나리오별 연간 에너지(energy.csv, TWh/년): 0 위는 기술별 발전과 저장장치 방전, 0 아래는 수요, 저장장치 "
                             "충전, 순송출; 회색 빗금 = 출력제한."},
    "cmp_monthly": {"en": "Monthly renewable generation and demand", "ko": "월별 재생에너지 발전과 수요"},
    "cmp_monthly_cap": {"en": "Honam renewable generation (solid) and demand (dashed) per calendar month, Σ MW × "
                              "weight_h over the calendar hours of the month, each taking the values of the snapshot "
                              "standing for it (calendar.csv, hourly.csv); months a run did not model (selected weeks) "
                              "are left out.",
                        "ko": "호남 월별 재생에너지 발전(실선)과 수요(점선): 해당 월의 달력 시간마다 그 시간을 대표하는 스냅샷 값의 Σ MW × "
                              "weight_h(calendar.csv, hourly.csv); 모형화하지 않은 달(선택 주간 실행)은 제외."},
    "cmp_costs": {"en": "Annual cost by component", "ko": "항목별 연간 비용"},
    "cmp_costs_cap": {"en": "Annual system cost per scenario by component (costs.csv, trillion KRW/yr); target "
                            "shortfall penalties shown apart (hatched) and not part of the system cost.",
                      "ko": "시나리오별 항목별 연간 시스템 비용(costs.csv, 조 원/년); 목표 미달 벌칙은 따로(빗금) 표시하며 시스템 "
                            "비용에 포함하지 않음."},
    "row_renewable_ratio": {"en": "Renewable ratio [× consumption]", "ko": "재생에너지 비율 [× 소비량]"},
    "row_export_ratio": {"en": "Exports to the Capital region [× consumption]", "ko": "수도권 송전 [× 소비량]"},
    "row_exports": {"en": "Exports delivered [TWh/yr]", "ko": "수도권 도착 송전량 [TWh/년]"},
    "row_cost": {"en": "Total system cost [trillion KRW/yr]", "ko": "총 시스템 비용 [조 원/년]"},
    "row_avg_cost": {"en": "Average cost [KRW/MWh delivered: Honam demand + exports]",
                     "ko": "평균 비용 [원/MWh, 공급량: 호남 수요 + 수도권 송전]"},
    "row_avg_cost_demand": {"en": "Whole cost over Honam demand [KRW/MWh of Honam demand]",
                            "ko": "전체 비용 / 호남 수요 [원/MWh, 호남 수요 기준]"},
    "row_shadow_re": {"en": "Renewable target shadow price [KRW/MWh]", "ko": "재생에너지 목표 잠재가격 [원/MWh]"},
    "row_shadow_ex": {"en": "Export commitment shadow price [KRW/MWh]", "ko": "수도권 송전 의무 잠재가격 [원/MWh]"},
    "row_curtail": {"en": "Curtailment [% of available]", "ko": "출력제한 [가용량 대비 %]"},
    "row_corridor": {"en": "Corridor to the Capital region [GW]", "ko": "수도권 송전로 [GW]"},
    "row_battery": {"en": "Battery power / energy [GW / GWh]", "ko": "배터리 출력 / 에너지 [GW / GWh]"},
    "row_avoided": {"en": "Emissions avoided [MtCO2/yr]", "ko": "온실가스 감축 [백만 tCO2/년]"},
    "row_shortfall": {"en": "Target shortfall [TWh/yr]", "ko": "목표 미달량 [TWh/년]"},
    "row_unserved": {"en": "Unserved energy [TWh/yr]", "ko": "미공급 전력 [TWh/년]"},
    "row_consumption": {"en": "Honam consumption [TWh/yr]", "ko": "호남 소비량 [TWh/년]"},
    "lang_switch": {"en": "한국어: [memo.ko.html](memo.ko.html) · [memo.ko.md](memo.ko.md)",
                    "ko": "English: [memo.en.html](memo.en.html) · [memo.en.md](memo.en.md)"},
}


def tr(key: str, lang: str, **values) -> str:
    if lang not in LANGS:
        raise ValueError(f"language {lang!r}; expected one of {', '.join(LANGS)}")
    text = TEXT[key][lang]
    return text.format(**values) if values else text


from .text_deliverability import DELIVERABILITY_TEXT  # noqa: E402  (more tables of the same registry)
from .text_sensitivity import SENSITIVITY_TEXT  # noqa: E402
from .text_stress import STRESS_TEXT  # noqa: E402

TEXT.update(DELIVERABILITY_TEXT)
TEXT.update(SENSITIVITY_TEXT)
TEXT.update(STRESS_TEXT)
