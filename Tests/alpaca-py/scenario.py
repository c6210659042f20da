"""A trading bot's session against MBT's Alpaca-compatible API (trading and market data), through
alpaca-py (pinned in scripts/alpaca-py-test.sh) with raw_data=False, so every response must validate
as alpaca-py's pydantic models. Only url_override points it at MBT. Reads MBT_URL, APCA_API_KEY_ID and
APCA_API_SECRET_KEY from the environment; exits non-zero on the first failed step."""

import os
import sys
import threading
import time
import uuid
from datetime import date, timedelta
from decimal import Decimal

from alpaca.common.exceptions import APIError
from alpaca.data.historical.corporate_actions import CorporateActionsClient
from alpaca.data.historical.option import OptionHistoricalDataClient
from alpaca.data.historical.stock import StockHistoricalDataClient
from alpaca.data.requests import (
    CorporateActionsRequest,
    OptionChainRequest,
    OptionLatestQuoteRequest,
    StockBarsRequest,
    StockLatestBarRequest,
    StockLatestQuoteRequest,
    StockLatestTradeRequest,
    StockQuotesRequest,
    StockSnapshotRequest,
    StockTradesRequest,
)
from alpaca.data.timeframe import TimeFrame, TimeFrameUnit
from alpaca.trading.client import TradingClient
from alpaca.trading.stream import TradingStream
from alpaca.trading.enums import (
    AccountStatus,
    AssetClass,
    ContractType,
    OrderClass,
    OrderSide,
    OrderStatus,
    PositionIntent,
    PositionSide,
    QueryOrderStatus,
    TimeInForce,
)
from alpaca.trading.requests import (
    ClosePositionRequest,
    CreateWatchlistRequest,
    GetCalendarRequest,
    GetOptionContractsRequest,
    GetOrdersRequest,
    LimitOrderRequest,
    MarketOrderRequest,
    OptionLegRequest,
    ReplaceOrderRequest,
    UpdateWatchlistRequest,
)

URL = os.environ["MBT_URL"]
KEY = os.environ["APCA_API_KEY_ID"]
SECRET = os.environ["APCA_API_SECRET_KEY"]


def step(name):
    print(f"--> {name}", flush=True)


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def expect_api_error(call, status, code):
    try:
        call()
    except APIError as error:
        check(error.status_code == status, f"expected HTTP {status}, got {error.status_code}: {error}")
        check(error.code == code, f"expected code {code}, got {error.code}: {error}")
        return error
    raise AssertionError(f"expected HTTP {status} {code}, but the call succeeded")


client = TradingClient(KEY, SECRET, paper=True, url_override=URL, raw_data=False)

step("account")
account = client.get_account()
check(account.status == AccountStatus.ACTIVE, f"account status {account.status}")
check(Decimal(account.cash) == Decimal("100000"), f"cash {account.cash}")
check(Decimal(account.buying_power) == Decimal("100000"), f"buying power {account.buying_power}")

step("portfolio history")
history = client.get_portfolio_history()
check(history.timeframe == "1D" and history.base_value == 100000 and history.equity == [], f"history {history}")

step("clock")
clock = client.get_clock()
check(clock.is_open, f"the simulated market should be open: {clock}")

step("calendar")
today = clock.timestamp.date()
days = client.get_calendar(GetCalendarRequest(start=today, end=today + timedelta(days=10)))
check(len(days) >= 6 and days[0].date == today, f"calendar {days[:2]}")

step("bars and latest quotes (StockHistoricalDataClient)")
data = StockHistoricalDataClient(KEY, SECRET, url_override=URL, raw_data=False)
session_open = clock.timestamp.replace(hour=9, minute=30, second=0, microsecond=0)
bars = data.get_stock_bars(StockBarsRequest(symbol_or_symbols=["AAPL", "MSFT"], timeframe=TimeFrame.Minute, start=session_open))
check(len(bars["AAPL"]) >= 10 and len(bars["MSFT"]) >= 10, f"minute bars {len(bars.data.get('AAPL', []))}")
check(all(b.open > 0 and b.volume >= 0 for b in bars["AAPL"]), "bars have prices")
check(bars["AAPL"][0].timestamp < bars["AAPL"][-1].timestamp, "bars run oldest first")
five = data.get_stock_bars(
    StockBarsRequest(symbol_or_symbols="AAPL", timeframe=TimeFrame(5, TimeFrameUnit.Minute), start=session_open, limit=3)
)
check(len(five["AAPL"]) == 3, f"a limit of 3 five-minute bars: {len(five['AAPL'])}")
quotes = data.get_stock_latest_quote(StockLatestQuoteRequest(symbol_or_symbols=["AAPL", "MSFT"]))
check(0 < quotes["AAPL"].bid_price <= quotes["AAPL"].ask_price, f"AAPL quote {quotes['AAPL']}")
latest_bars = data.get_stock_latest_bar(StockLatestBarRequest(symbol_or_symbols=["AAPL", "MSFT"]))
check(latest_bars["AAPL"].close > 0 and latest_bars["MSFT"].timestamp >= bars["MSFT"][-1].timestamp, f"latest bars {latest_bars}")
trades = data.get_stock_latest_trade(StockLatestTradeRequest(symbol_or_symbols=["AAPL"]))
check(trades["AAPL"].price > 0, f"latest trade {trades['AAPL']}")
snapshots = data.get_stock_snapshot(StockSnapshotRequest(symbol_or_symbols=["AAPL"]))
check(snapshots["AAPL"].latest_quote and snapshots["AAPL"].daily_bar, f"snapshot {snapshots['AAPL']}")

step("historical quotes and trades, weekly and monthly bars")
history_quotes = data.get_stock_quotes(StockQuotesRequest(symbol_or_symbols=["AAPL", "MSFT"], start=session_open, limit=40))
check(len(history_quotes["AAPL"]) + len(history_quotes.data.get("MSFT", [])) == 40, f"40 quotes over pages")
check(all(0 < q.bid_price <= q.ask_price for q in history_quotes["AAPL"]), "historical quotes have prices")
history_trades = data.get_stock_trades(StockTradesRequest(symbol_or_symbols="AAPL", start=session_open))
check(len(history_trades["AAPL"]) >= 10 and all(t.price > 0 for t in history_trades["AAPL"]), "a trade per minute bar")
weeks = data.get_stock_bars(StockBarsRequest(symbol_or_symbols="AAPL", timeframe=TimeFrame.Week, start=session_open - timedelta(days=40)))
check(5 <= len(weeks["AAPL"]) <= 7, f"weekly bars {[b.timestamp for b in weeks['AAPL']]}")
check(all(b.timestamp.weekday() <= 1 for b in weeks["AAPL"][1:]), "weeks start on their first trading day")
months = data.get_stock_bars(StockBarsRequest(symbol_or_symbols="AAPL", timeframe=TimeFrame.Month, start=session_open - timedelta(days=40)))
check(len(months["AAPL"]) == 2 and months["AAPL"][-1].timestamp.day <= 3, f"monthly bars {[b.timestamp for b in months['AAPL']]}")

step("watchlists")
watchlist = client.create_watchlist(CreateWatchlistRequest(name="tech", symbols=["AAPL"]))
check([a.symbol for a in watchlist.assets] == ["AAPL"], f"watchlist {watchlist}")
watchlist = client.add_asset_to_watchlist_by_id(watchlist.id, "MSFT")
check([a.symbol for a in watchlist.assets] == ["AAPL", "MSFT"], f"after add {watchlist.assets}")
watchlist = client.remove_asset_from_watchlist_by_id(watchlist.id, "AAPL")
watchlist = client.update_watchlist_by_id(watchlist.id, UpdateWatchlistRequest(name="megacaps"))
check(watchlist.name == "megacaps" and [a.symbol for a in watchlist.assets] == ["MSFT"], f"after update {watchlist}")
check([w.id for w in client.get_watchlists()] == [watchlist.id], "one watchlist")
check(client.get_watchlist_by_id(watchlist.id).name == "megacaps", "read back")
client.delete_watchlist_by_id(watchlist.id)
expect_api_error(lambda: client.get_watchlist_by_id(watchlist.id), 404, 40410000)

actions = CorporateActionsClient(KEY, SECRET, url_override=URL).get_corporate_actions(
    CorporateActionsRequest(symbols=["AAPL", "MSFT", "KO"], start=date(2026, 1, 1), end=date(2026, 12, 31))
)
check(actions.data.get("cash_dividends"), f"the simulated market pays dividends: {list(actions.data)}")

step("market buy")
bought = client.submit_order(MarketOrderRequest(symbol="AAPL", qty=10, side=OrderSide.BUY, time_in_force=TimeInForce.DAY))
check(bought.status == OrderStatus.FILLED, f"market buy status {bought.status}")
check(Decimal(bought.filled_qty) == 10 and bought.filled_avg_price, f"fill {bought.filled_qty} @ {bought.filled_avg_price}")

step("get order")
again = client.get_order_by_id(bought.id)
check(again.id == bought.id and again.symbol == "AAPL" and again.status == OrderStatus.FILLED, f"order {again}")

step("positions")
positions = client.get_all_positions()
check([p.symbol for p in positions] == ["AAPL"], f"positions {positions}")
aapl = client.get_open_position("AAPL")
check(Decimal(aapl.qty) == 10 and aapl.side == PositionSide.LONG, f"position {aapl}")
check(aapl.asset_class == AssetClass.US_EQUITY, f"asset class {aapl.asset_class}")
price = Decimal(aapl.current_price)

step("resting limit found by client order id")
client_id = f"bot-{uuid.uuid4()}"
low = float((price * Decimal("0.8")).quantize(Decimal("0.01")))
resting = client.submit_order(
    LimitOrderRequest(
        symbol="AAPL", qty=5, side=OrderSide.BUY, time_in_force=TimeInForce.GTC, limit_price=low, client_order_id=client_id
    )
)
check(resting.status == OrderStatus.NEW, f"resting status {resting.status}")
found = client.get_order_by_client_id(client_id)
check(found.id == resting.id and found.client_order_id == client_id, f"found {found.id} for {resting.id}")
expect_api_error(
    lambda: client.submit_order(
        LimitOrderRequest(
            symbol="AAPL", qty=5, side=OrderSide.BUY, time_in_force=TimeInForce.GTC, limit_price=low, client_order_id=client_id
        )
    ),
    422,
    42210000,
)

step("replace")
lower = float((price * Decimal("0.75")).quantize(Decimal("0.01")))
replacement = client.replace_order_by_id(resting.id, ReplaceOrderRequest(qty=3, limit_price=lower))
check(replacement.id != resting.id and replacement.replaces == resting.id, f"replacement {replacement}")
check(Decimal(replacement.qty) == 3 and Decimal(replacement.limit_price) == Decimal(str(lower)), f"replacement {replacement}")
old = client.get_order_by_id(resting.id)
check(old.status == OrderStatus.REPLACED and old.replaced_by == replacement.id, f"old order {old.status} {old.replaced_by}")

step("cancel")
client.cancel_order_by_id(replacement.id)
check(client.get_order_by_id(replacement.id).status == OrderStatus.CANCELED, "the replacement should be canceled")
expect_api_error(lambda: client.cancel_order_by_id(replacement.id), 422, 42210000)
expect_api_error(lambda: client.get_order_by_id(uuid.uuid4()), 404, 40410000)

step("list open and closed orders (nested)")
second = client.submit_order(
    LimitOrderRequest(symbol="MSFT", qty=1, side=OrderSide.BUY, time_in_force=TimeInForce.DAY, limit_price=1.00)
)
open_orders = client.get_orders(GetOrdersRequest(status=QueryOrderStatus.OPEN, nested=True))
check([o.id for o in open_orders] == [second.id], f"open orders {[o.id for o in open_orders]}")
closed = client.get_orders(GetOrdersRequest(status=QueryOrderStatus.CLOSED, nested=True, limit=100))
closed_ids = {o.id for o in closed}
check({bought.id, resting.id, replacement.id} <= closed_ids, f"closed orders {closed_ids}")
only_msft = client.get_orders(GetOrdersRequest(status=QueryOrderStatus.ALL, symbols=["MSFT"]))
check([o.id for o in only_msft] == [second.id], f"MSFT orders {only_msft}")
canceled = client.cancel_orders()
check([(c.id, c.status) for c in canceled] == [(second.id, 200)], f"cancel all {canceled}")

step("close part of a position")
closing = client.close_position("AAPL", ClosePositionRequest(qty="4"))
check(closing.side == OrderSide.SELL and closing.status == OrderStatus.FILLED, f"closing order {closing}")
check(Decimal(client.get_open_position("AAPL").qty) == 6, "6 shares should remain")

step("two-leg mleg spread")
contracts = client.get_option_contracts(
    GetOptionContractsRequest(
        underlying_symbols=["AAPL"],
        expiration_date_gte=today + timedelta(days=7),
        expiration_date_lte=today + timedelta(days=45),
        type=ContractType.CALL,
        limit=1000,
    )
).option_contracts
check(contracts, "the simulated market should list AAPL calls")
expiry = min(c.expiration_date for c in contracts)
strikes = sorted(
    (c for c in contracts if c.expiration_date == expiry and c.strike_price >= float(price)), key=lambda c: c.strike_price
)
check(len(strikes) >= 2, f"strikes above {price} on {expiry}")
long_call, short_call = strikes[0], strikes[1]
check(client.get_option_contract(long_call.symbol).strike_price == long_call.strike_price, "one contract by its symbol")
options = OptionHistoricalDataClient(KEY, SECRET, url_override=URL, raw_data=False)
option_quotes = options.get_option_latest_quote(OptionLatestQuoteRequest(symbol_or_symbols=[long_call.symbol]))
check(option_quotes[long_call.symbol].ask_price > 0, f"option quote {option_quotes}")
chain = options.get_option_chain(OptionChainRequest(underlying_symbol="AAPL", expiration_date=expiry, type=ContractType.CALL))
check(long_call.symbol in chain and chain[long_call.symbol].latest_quote, f"chain of {expiry}: {len(chain)} contracts")
greeks = chain[long_call.symbol].greeks
check(greeks is not None and greeks.rho > 0 and 0 < greeks.delta < 1, f"the simulated chain's greeks: {greeks}")
spread = client.submit_order(
    MarketOrderRequest(
        qty=1,
        order_class=OrderClass.MLEG,
        time_in_force=TimeInForce.DAY,
        legs=[
            OptionLegRequest(symbol=long_call.symbol, ratio_qty=1, side=OrderSide.BUY, position_intent=PositionIntent.BUY_TO_OPEN),
            OptionLegRequest(symbol=short_call.symbol, ratio_qty=1, side=OrderSide.SELL, position_intent=PositionIntent.SELL_TO_OPEN),
        ],
    )
)
check(spread.order_class == OrderClass.MLEG and spread.status == OrderStatus.FILLED, f"spread {spread.order_class} {spread.status}")
check(len(spread.legs) == 2 and all(leg.status == OrderStatus.FILLED for leg in spread.legs), f"legs {spread.legs}")
held = {p.symbol: p for p in client.get_all_positions()}
check(Decimal(held[long_call.symbol].qty) == 1 and Decimal(held[short_call.symbol].qty) == -1, f"option positions {held}")
check(held[short_call.symbol].side == PositionSide.SHORT, "the short call is a short position")
listed = client.get_order_by_id(spread.id)
check(listed.order_class == OrderClass.MLEG and len(listed.legs) == 2, "the spread reads back with its legs")

step("exercise a long put early")
puts = client.get_option_contracts(
    GetOptionContractsRequest(underlying_symbols=["AAPL"], expiration_date=expiry, type=ContractType.PUT, limit=1000)
).option_contracts
put = min(puts, key=lambda c: abs(c.strike_price - float(price)))
client.submit_order(MarketOrderRequest(symbol=put.symbol, qty=1, side=OrderSide.BUY, time_in_force=TimeInForce.DAY))
shares_before = Decimal(client.get_open_position("AAPL").qty)
client.exercise_options_position(put.symbol)
held = {p.symbol: p for p in client.get_all_positions()}
check(put.symbol not in held, f"the put should be exercised: {held.get(put.symbol)}")
check(Decimal(held["AAPL"].qty) == shares_before - 100, f"100 shares sold at the strike: {held['AAPL'].qty}")
exercised = client.get("/account/activities/OPEXC")
check([a["symbol"] for a in exercised] == [put.symbol], f"OPEXC activities {exercised}")
delivered = client.get("/account/activities/OPTRD")
check(Decimal(delivered[0]["price"]) == Decimal(str(put.strike_price)), f"OPTRD at the strike: {delivered}")
expect_api_error(lambda: client.exercise_options_position("AAPL"), 422, 42210000)
expect_api_error(lambda: client.exercise_options_position(put.symbol), 404, 40410000)

step("bad input")
expect_api_error(
    lambda: client.submit_order(MarketOrderRequest(symbol="NOSUCH", qty=1, side=OrderSide.BUY, time_in_force=TimeInForce.DAY)),
    422,
    42210000,
)
expect_api_error(
    lambda: client.submit_order(MarketOrderRequest(symbol="AAPL", qty=1, side=OrderSide.BUY, time_in_force=TimeInForce.FOK)),
    422,
    42210000,
)
expect_api_error(
    lambda: client.submit_order(MarketOrderRequest(symbol="AAPL", notional=100, side=OrderSide.BUY, time_in_force=TimeInForce.DAY)),
    422,
    42210000,
)
stranger = TradingClient(KEY, SECRET + "x", paper=True, url_override=URL, raw_data=False)
expect_api_error(stranger.get_account, 401, 40110000)

step("trade-updates stream receives the fill of an order placed after it connected")
updates = []
received = threading.Event()


async def on_update(update):
    updates.append(update)
    if update.event == "fill":
        received.set()


stream = TradingStream(KEY, SECRET, paper=True, url_override=URL.replace("http://", "ws://") + "/stream")
stream.subscribe_trade_updates(on_update)
threading.Thread(target=stream.run, daemon=True).start()
time.sleep(2)
streamed = client.submit_order(MarketOrderRequest(symbol="MSFT", qty=2, side=OrderSide.BUY, time_in_force=TimeInForce.DAY))
check(received.wait(15), f"no fill arrived on the stream; got {[(u.event, u.order.id) for u in updates]}")
fills = [u for u in updates if u.event == "fill"]
check(fills[0].order.id == streamed.id and fills[0].order.status == OrderStatus.FILLED, f"fill event {fills[0]}")
check(fills[0].price and fills[0].qty == 2 and fills[0].position_qty == 2, f"fill {fills[0].price} {fills[0].qty} {fills[0].position_qty}")
check([u.event for u in updates if u.order.id == streamed.id] == ["new", "fill"], f"events {[(u.event, u.order.id) for u in updates]}")
stream.stop()

step("close every position")
results = client.close_all_positions(cancel_orders=True)
check(sorted(r.symbol for r in results) == sorted(["AAPL", "MSFT", long_call.symbol, short_call.symbol]), f"closed {results}")
check(all(r.status == 200 for r in results), f"close results {[(r.symbol, r.status, r.body) for r in results]}")
check(client.get_all_positions() == [], "no positions should remain")

print("alpaca-py scenario passed", flush=True)
