"""Korean UI texts: English original → 한국어.

Terms used throughout (as in the Korean edition of "Deep Learning from
Scratch" and common classroom use): 학습률 (η), 모멘텀, 기울기, 손실 함수,
최적화 기법(옵티마이저), 편향 보정, 발산, 단계, 시작점, 등고선, 곡면,
하이퍼파라미터, 미니배치, 가중치 감소, 드롭아웃, 배치 정규화.
Optimizer names (SGD, Momentum, AdaGrad, RMSprop, Adam) and formulas stay as
they are, as in the book.  Placeholders in braces must be kept.
"""

from __future__ import annotations

CATALOG: dict[str, str] = {
    # -- window, menus ------------------------------------------------------
    "optilab — how optimizers behave": "optilab — 최적화 기법은 어떻게 움직이는가",
    "&File": "파일(&F)",
    "&View": "보기(&V)",
    "&Help": "도움말(&H)",
    "Surface lab": "곡면 실험실",
    "Training lab": "학습 실험실",
    "Open scenario…": "시나리오 열기…",
    "Open scenario": "시나리오 열기",
    "Open recent": "최근 파일",
    "Save scenario…": "시나리오 저장…",
    "Save scenario": "시나리오 저장",
    "Export…": "내보내기…",
    "Export": "내보내기",
    "Export picture…": "그림 내보내기…",
    "Export picture": "그림 내보내기",
    "Export trajectories (CSV)…": "궤적 내보내기 (CSV)…",
    "Export trajectories": "궤적 내보내기",
    "Quit": "끝내기",
    "2-D map": "2차원 지도",
    "3-D surface": "3차원 곡면",
    "Numbers behind the step": "단계별 계산 값",
    "Controls": "설정 패널",
    "Gradient arrows (−g)": "기울기 화살표 (−g)",
    "Velocity arrows (v)": "속도 화살표 (v)",
    "Reset 3-D view": "3차원 보기 초기화",
    "Reset 2-D view": "2차원 보기 초기화",
    "Play / pause": "재생 / 일시정지",
    "Step forward": "한 단계 앞으로",
    "Step back": "한 단계 뒤로",
    "Back to step 0": "0단계로 되돌리기",
    "Language": "언어",
    "Presentation": "발표 모드",
    "Full screen": "전체 화면",
    "Larger text and lines": "글자와 선 크게",
    "Smaller text and lines": "글자와 선 작게",
    "Normal size": "기본 크기",
    "Colour-blind safe (Okabe–Ito)": "색각 이상 배려 색상 (Okabe–Ito)",
    "High contrast": "고대비 색상",
    "Light theme": "밝은 테마",
    "Dark theme": "어두운 테마",
    "Lesson guide": "수업 안내",
    "Keyboard shortcuts": "단축키",
    "About optilab": "optilab 정보",
    "{what} ({key})": "{what} ({key})",
    "Drag the 3-D view to orbit it; click the 2-D map to move the start point.":
        "3차원 보기를 드래그하면 회전하고, 2차원 지도를 클릭하면 시작점이 옮겨집니다.",
    "Scale {percent} %": "크기 {percent} %",
    # -- status and errors -------------------------------------------------
    "Saved {path}": "{path}에 저장했습니다",
    "Opened {path}": "{path}을(를) 열었습니다",
    "Could not write {path}": "{path}에 쓸 수 없습니다",
    "Could not write {path}: {reason}": "{path}에 쓸 수 없습니다: {reason}",
    "Cannot open this scenario: {reason}": "이 시나리오를 열 수 없습니다: {reason}",
    "Cannot save: {reason}": "저장할 수 없습니다: {reason}",
    "Formula error: {reason}": "수식 오류: {reason}",
    "not a number": "숫자가 아닙니다",
    "must be a finite number": "유한한 숫자여야 합니다",
    "Rendering the animation…": "애니메이션을 만드는 중…",
    "Cancel": "취소",
    "Export cancelled": "내보내기를 취소했습니다",
    "optilab scenarios (*.json)": "optilab 시나리오 (*.json)",
    "PNG images (*.png)": "PNG 이미지 (*.png)",
    "SVG images (*.svg)": "SVG 이미지 (*.svg)",
    "CSV files (*.csv)": "CSV 파일 (*.csv)",
    "JSON files (*.json)": "JSON 파일 (*.json)",
    "GIF animations (*.gif)": "GIF 애니메이션 (*.gif)",
    # -- export dialog -----------------------------------------------------
    "2-D map as PNG": "2차원 지도 (PNG)",
    "2-D map as SVG": "2차원 지도 (SVG)",
    "3-D view as PNG": "3차원 보기 (PNG)",
    "Whole window as PNG": "창 전체 (PNG)",
    "Trajectories as CSV": "궤적 (CSV)",
    "Trajectories as JSON": "궤적 (JSON)",
    "Animation as GIF": "애니메이션 (GIF)",
    "Both, side by side": "둘 다 나란히",
    "Width": "너비",
    "Height": "높이",
    "Resolution (DPI)": "해상도 (DPI)",
    "View": "보기",
    "Frames per second": "초당 프레임 수",
    # -- surface lab controls ----------------------------------------------
    "Lessons…": "수업 선택…",
    "Look at: ": "살펴볼 점: ",
    "Pick a lesson, or choose a surface and optimizers on the left.":
        "수업을 고르거나, 왼쪽에서 곡면과 최적화 기법을 선택하세요.",
    "Surface": "곡면",
    "Custom formula": "직접 입력한 수식",
    "f(x, y), e.g. x**2 + 3*sin(y)": "f(x, y), 예: x**2 + 3*sin(y)",
    "Apply": "적용",
    "Hyperparameters": "하이퍼파라미터",
    "Hyperparameters of {title}": "{title}의 하이퍼파라미터",
    "bias correction (m̂, v̂)": "편향 보정 (m̂, v̂)",
    "Add optimizer": "최적화 기법 추가",
    "Remove": "삭제",
    "Start and steps": "시작점과 단계 수",
    "Start": "시작점",
    "Steps": "단계 수",
    "or click on the 2-D map": "또는 2차원 지도를 클릭하세요",
    "▶ Play": "▶ 재생",
    "❚❚ Pause": "❚❚ 일시정지",
    "◀ Step": "◀ 한 단계",
    "Step ▶": "한 단계 ▶",
    "One step back (Left arrow)": "한 단계 뒤로 (← 키)",
    "One step forward (Right arrow)": "한 단계 앞으로 (→ 키)",
    "Play or pause (Space)": "재생 또는 일시정지 (Space 키)",
    "Speed": "속도",
    "{n} steps/s": "초당 {n}단계",
    "step {k} / {n}": "{k} / {n} 단계",
    "Reset view": "보기 초기화",
    "Drag to orbit, wheel to zoom; this restores the default camera":
        "드래그하면 회전, 휠로 확대/축소합니다. 이 단추는 기본 시점으로 되돌립니다",
    "log₁₀(f − f_min)": "log₁₀(f − f_min)",
    "{title}: diverged at step {k}": "{title}: {k}단계에서 발산",
    "diverged at step {k}": "{k}단계에서 발산",
    "Tick an optimizer to see the numbers behind each step.":
        "최적화 기법을 체크하면 단계마다 계산된 값이 보입니다.",
    "state": "상태",
    "step": "단계",
    "step taken": "이동량",
    "η (lr)": "η (학습률)",
    "μ (momentum)": "μ (모멘텀)",
    "ρ (decay)": "ρ (감쇠율)",
    "β₁": "β₁",
    "β₂": "β₂",
    "ε": "ε",
    "λ (weight decay)": "λ (가중치 감소)",
    # -- surfaces ----------------------------------------------------------
    "Bowl (book)": "그릇 모양 (책의 예)",
    "Ill-conditioned quadratic (κ = 100)": "조건수가 나쁜 이차 함수 (κ = 100)",
    "Rosenbrock": "로젠브록 (Rosenbrock)",
    "Beale": "빌 (Beale)",
    "Himmelblau": "힘멜블라우 (Himmelblau)",
    "Saddle": "안장점",
    "Monkey saddle": "원숭이 안장",
    "Rastrigin": "라스트리긴 (Rastrigin)",
    "Ackley": "애클리 (Ackley)",
    "Booth": "부스 (Booth)",
    "Goldstein–Price": "골드스타인–프라이스 (Goldstein–Price)",
    "Six-hump camel": "여섯 봉우리 낙타 (Six-hump camel)",
    "Least squares (GD, all points)": "최소제곱 (GD, 모든 점)",
    # -- run labels of the lessons -----------------------------------------
    "SGD": "SGD",
    "Momentum": "Momentum",
    "Nesterov": "Nesterov",
    "AdaGrad": "AdaGrad",
    "RMSprop": "RMSprop",
    "Adam": "Adam",
    "SGD η=0.1": "SGD η=0.1",
    "SGD η=0.9": "SGD η=0.9",
    "SGD η=1.0": "SGD η=1.0",
    "SGD η=1.5": "SGD η=1.5",
    "Momentum μ=0.5": "Momentum μ=0.5",
    "Momentum μ=0.9": "Momentum μ=0.9",
    "Momentum μ=0.99": "Momentum μ=0.99",
    "Adam (corrected)": "Adam (편향 보정)",
    "Adam (no correction)": "Adam (보정 없음)",
    "GD (100 points)": "GD (점 100개)",
    "SGD (1 point)": "SGD (점 1개)",
    "Minibatch (10 points)": "미니배치 (점 10개)",
    # -- lessons -----------------------------------------------------------
    "The book's figure: four optimizers on x²/20 + y²": "책의 그림: x²/20 + y² 위의 네 가지 최적화 기법",
    "SGD zig-zags across the steep y direction while crawling along x; "
    "Momentum rolls like a ball, AdaGrad slows down as its steps shrink, "
    "Adam moves like a damped ball.":
        "SGD는 가파른 y 방향으로 지그재그하며 x 방향으로는 느리게 기어갑니다. "
        "Momentum은 공처럼 굴러가고, AdaGrad는 보폭이 줄면서 느려지며, "
        "Adam은 마찰을 받는 공처럼 움직입니다.",
    "SGD's zig-zags: the gradient points across the valley, not along it (turn on View → Gradient arrows).":
        "SGD의 지그재그: 기울기는 골짜기를 따라가지 않고 가로질러 향합니다 (보기 → 기울기 화살표를 켜 보세요).",
    "Momentum overshoots": "모멘텀은 최솟값을 지나친다",
    "With μ = 0.9 the velocity carries the point past the minimum and back; "
    "μ = 0.99 keeps swinging for a long time. Plain gradient descent never overshoots here.":
        "μ = 0.9이면 속도 때문에 점이 최솟값을 지나쳤다가 되돌아오고, "
        "μ = 0.99이면 오랫동안 계속 흔들립니다. 일반 경사 하강법은 여기서 지나치지 않습니다.",
    "Watch the velocity v in the numbers panel change sign after each pass over the minimum.":
        "최솟값을 지날 때마다 계산 값 패널의 속도 v의 부호가 바뀌는 것을 보세요.",
    "Nesterov vs momentum on an ill-conditioned valley": "조건수가 나쁜 골짜기에서 Nesterov와 모멘텀 비교",
    "Same η and μ: Nesterov's look-ahead gradient brakes before the valley wall, "
    "so it oscillates less than classical momentum and settles sooner.":
        "η와 μ가 같아도 Nesterov는 앞을 내다본 기울기로 골짜기 벽에 닿기 전에 제동을 걸어 "
        "고전적인 모멘텀보다 덜 진동하고 더 빨리 자리를 잡습니다.",
    "Compare the swings across the narrow direction in the first 20 steps.":
        "처음 20단계 동안 좁은 방향으로 흔들리는 폭을 비교하세요.",
    "Escaping a saddle point": "안장점 탈출",
    "Starting almost exactly on the ridge of x² − y², the gradient along y is tiny: "
    "SGD lingers at the saddle, momentum escapes later, the adaptive methods "
    "rescale the tiny gradient and leave at once.":
        "x² − y²의 능선 바로 위에서 출발하면 y 방향 기울기가 아주 작습니다. "
        "SGD는 안장점에 머무르고, 모멘텀은 늦게 빠져나가며, 적응형 기법은 "
        "작은 기울기의 크기를 다시 맞춰 곧바로 벗어납니다.",
    "‖g‖ near (0, 0) is almost zero, yet the RMSprop and Adam steps taken are not.":
        "(0, 0) 근처에서 ‖g‖는 거의 0이지만 RMSprop과 Adam의 이동량은 그렇지 않습니다.",
    "AdaGrad stalls on Rosenbrock, RMSprop keeps going": "로젠브록에서 AdaGrad는 멈추고 RMSprop은 계속 간다",
    "AdaGrad's h only grows, so its steps shrink for ever and it stops in the curved valley; "
    "RMSprop forgets old gradients (ρ = 0.99) and keeps moving towards (1, 1).":
        "AdaGrad의 h는 커지기만 해서 보폭이 끝없이 줄어들고 굽은 골짜기에서 멈춥니다. "
        "RMSprop은 오래된 기울기를 잊어버려(ρ = 0.99) (1, 1)을 향해 계속 나아갑니다.",
    "Watch h grow in the numbers panel while AdaGrad's step taken shrinks to nothing.":
        "계산 값 패널에서 h가 커지는 동안 AdaGrad의 이동량이 0으로 줄어드는 것을 보세요.",
    "Adam with and without bias correction": "편향 보정이 있는 Adam과 없는 Adam",
    "m and v start at zero. Without bias correction the first steps are "
    "the wrong size: with β₂ = 0.999, v is far too small and the early steps are "
    "about (1−β₁)/√(1−β₂) ≈ 3 times η, so the run lurches past the valley.":
        "m과 v는 0에서 시작합니다. 편향 보정이 없으면 처음 몇 단계의 보폭이 잘못됩니다. "
        "β₂ = 0.999이면 v가 너무 작아서 초반 보폭이 η의 약 (1−β₁)/√(1−β₂) ≈ 3배가 되고, "
        "그래서 골짜기를 훌쩍 넘어가 버립니다.",
    "Compare m with m̂ and v with v̂ at steps 1–5.": "1–5단계에서 m과 m̂, v와 v̂를 비교하세요.",
    "Learning rate too large": "너무 큰 학습률",
    "On the bowl, gradient descent along y multiplies y by (1 − 2η) each step: "
    "η = 0.1 creeps, η = 0.9 zig-zags in, η = 1.0 bounces for ever, η = 1.5 diverges.":
        "그릇 모양 곡면에서 경사 하강법은 단계마다 y에 (1 − 2η)를 곱합니다. "
        "η = 0.1은 느리게 다가가고, η = 0.9는 지그재그로 들어가며, η = 1.0은 끝없이 튕기고, η = 1.5는 발산합니다.",
    "The η = 1.5 run is labelled 'diverged at step k'; the others are undisturbed.":
        "η = 1.5인 실행에는 'k단계에서 발산' 표시가 붙고, 나머지는 영향을 받지 않습니다.",
    "GD vs SGD vs minibatch on least squares": "최소제곱 문제에서 GD, SGD, 미니배치 비교",
    "Fitting a line y = w·x + b to 100 noisy points: gradient descent (all points) goes "
    "straight down; SGD (1 point per step) wanders with real sampling noise; a minibatch "
    "of 10 is in between.":
        "잡음이 있는 점 100개에 직선 y = w·x + b를 맞춥니다. 경사 하강법(모든 점)은 곧장 내려가고, "
        "SGD(단계마다 점 1개)는 실제 표본 잡음 때문에 이리저리 헤매며, 점 10개의 미니배치는 그 중간입니다.",
    "Each SGD step costs 1/100 of a GD step: compare where they are per unit of work.":
        "SGD 한 단계의 계산량은 GD 한 단계의 1/100입니다. 같은 계산량에서 어디까지 갔는지 비교하세요.",
    # -- training presets (title, what it shows) ----------------------------
    "Optimizer comparison on MNIST": "MNIST에서 최적화 기법 비교",
    "SGD is slowest; Momentum, AdaGrad and Adam fall much faster (AdaGrad slightly fastest in the book); "
    "RMSprop added beside them.":
        "SGD가 가장 느리고, Momentum·AdaGrad·Adam은 손실이 훨씬 빨리 줄어듭니다(책에서는 AdaGrad가 조금 더 빠름). "
        "RMSprop도 함께 비교합니다.",
    "Weight initialisation on MNIST": "MNIST에서 가중치 초깃값 비교",
    "std 0.01 barely learns; Xavier learns; He learns fastest with ReLU.":
        "표준편차 0.01은 거의 학습하지 못하고, Xavier는 학습하며, ReLU에서는 He 초깃값이 가장 빨리 학습합니다.",
    "Activation histograms": "활성화값 히스토그램",
    "With std 1 sigmoid outputs pile up at 0 and 1 (vanishing gradients); std 0.01 collapses them to 0.5 "
    "(no expressiveness); Xavier (sigmoid, tanh) and He (ReLU) keep them spread in every layer.":
        "표준편차 1이면 시그모이드 출력이 0과 1에 몰리고(기울기 소실), 표준편차 0.01이면 0.5에 모입니다"
        "(표현력 부족). Xavier(시그모이드, tanh)와 He(ReLU)는 모든 층에서 고르게 퍼뜨립니다.",
    "Batch normalisation": "배치 정규화",
    "With batch norm the net learns faster and almost whatever the initial weight scale; "
    "without it, many scales never leave 10 %.":
        "배치 정규화를 쓰면 초깃값의 크기와 거의 상관없이 더 빨리 학습합니다. "
        "쓰지 않으면 많은 경우 정확도가 10 %에서 벗어나지 못합니다.",
    "Overfitting": "오버피팅",
    "On 300 training images a 7-layer net reaches 100 % train accuracy while test accuracy stays far below: "
    "a wide train–test gap.":
        "훈련 이미지 300장으로 7층 신경망을 학습하면 훈련 정확도는 100 %에 이르지만 시험 정확도는 "
        "훨씬 낮습니다. 훈련–시험 차이가 큽니다.",
    "Weight decay": "가중치 감소",
    "λ = 0.1 shrinks the train–test gap of the overfitting lesson.":
        "λ = 0.1이면 오버피팅 수업의 훈련–시험 차이가 줄어듭니다.",
    "Dropout": "드롭아웃",
    "Dropout (p = 0.2) narrows the gap too, and the fit is slower.":
        "드롭아웃(p = 0.2)도 차이를 줄이며, 학습은 더 느려집니다.",
    "Hyperparameter random search": "하이퍼파라미터 무작위 탐색",
    "Good runs cluster around η ≈ 1e-3…1e-2 and λ ≈ 1e-8…1e-6; narrow the ranges there and search again.":
        "좋은 결과는 η ≈ 1e-3…1e-2, λ ≈ 1e-8…1e-6 근처에 모입니다. 그 범위로 좁혀서 다시 탐색하세요.",
    "GD vs SGD vs minibatch": "GD, SGD, 미니배치 비교",
    "On the same least-squares data, full-batch GD walks smoothly, SGD (one point per step) jitters around "
    "the minimum, minibatches sit in between: noise against cost per step.":
        "같은 최소제곱 데이터에서 전체 배치 GD는 부드럽게 내려가고, SGD(단계마다 점 하나)는 최솟값 주위에서 "
        "떨리며, 미니배치는 그 중간입니다. 잡음과 단계당 계산량의 맞바꿈입니다.",
    "Learning-rate schedules": "학습률 스케줄",
    "Decay slows the steps as training goes on and lowers the final loss plateau; warm-up starts gently; "
    "reduce-on-plateau cuts η when the loss stalls.":
        "감쇠는 학습이 진행될수록 보폭을 줄여 최종 손실 수준을 낮추고, 워밍업은 천천히 시작하며, "
        "정체 시 감소(reduce-on-plateau)는 손실이 멈추면 η를 줄입니다.",
    # -- help and about ----------------------------------------------------
    "For each lesson: what it shows, and what to point at.": "수업마다 무엇을 보여 주는지, 어디를 가리키면 좋은지 정리했습니다.",
    "Space and the arrow keys work when the surface lab has the focus; in a text field they type.":
        "Space와 화살표 키는 곡면 실험실에 포커스가 있을 때 동작합니다. 입력란에서는 글자가 입력됩니다.",
    "Play or pause the animation": "애니메이션 재생 또는 일시정지",
    "One step forward / back": "한 단계 앞으로 / 뒤로",
    "Open a scenario": "시나리오 열기",
    "Save the scenario": "시나리오 저장",
    "Export a picture, trajectories or an animation": "그림, 궤적, 애니메이션 내보내기",
    "Larger / smaller text and lines": "글자와 선 크게 / 작게",
    "Show or hide the 2-D map / 3-D surface": "2차원 지도 / 3차원 곡면 보이기·숨기기",
    "Gradient / velocity arrows": "기울기 / 속도 화살표",
    "Reset the 3-D view": "3차원 보기 초기화",
    "Watch neural-network optimizers work: SGD, Momentum, Nesterov, AdaGrad, RMSprop, Adam and "
    "AdamW on loss surfaces, step by step, with the numbers behind each step.":
        "신경망 최적화 기법이 움직이는 모습을 봅니다. SGD, Momentum, Nesterov, AdaGrad, RMSprop, Adam, "
        "AdamW가 손실 함수 곡면 위를 한 단계씩 이동하고, 단계마다 계산된 값을 함께 보여 줍니다.",
    "After the optimizers of “Deep Learning from Scratch”, ch. 6.": "『밑바닥부터 시작하는 딥러닝』 6장의 최적화 기법을 바탕으로 했습니다.",
}
